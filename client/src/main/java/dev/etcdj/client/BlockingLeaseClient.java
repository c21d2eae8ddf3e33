package dev.etcdj.client;

/**
 * The blocking view of a {@link LeaseClient}: each call is that client's call of the same name and
 * parameters, waited for; it returns the future's value and throws the {@link EtcdException} itself
 * (see {@link BlockingView}).
 */
public interface BlockingLeaseClient extends BlockingView<LeaseClient, BlockingLeaseClient> {

    LeaseGrantResponse grant(long ttlSeconds);

    LeaseGrantResponse grant(long ttlSeconds, long leaseId);

    LeaseRevokeResponse revoke(long leaseId);

    LeaseKeepAliveResponse keepAliveOnce(long leaseId);

    /** Starts a keep-alive; it never blocks (renewals are heard by the listener). */
    KeepAlive keepAlive(long leaseId, KeepAliveListener listener);

    LeaseTimeToLiveResponse timeToLive(long leaseId, boolean withKeys);

    LeaseListResponse leases();
}
