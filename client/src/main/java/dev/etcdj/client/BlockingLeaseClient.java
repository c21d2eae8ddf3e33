package dev.etcdj.client;

/** The blocking view of a {@link LeaseClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingLeaseClient extends BlockingView<LeaseClient, BlockingLeaseClient> {

    BlockingLeaseClient(LeaseClient lease) {
        super(lease, LeaseClient::blocking);
    }

    public LeaseGrantResponse grant(long ttlSeconds) {
        return Futures.await(async.grant(ttlSeconds));
    }

    public LeaseGrantResponse grant(long ttlSeconds, long leaseId) {
        return Futures.await(async.grant(ttlSeconds, leaseId));
    }

    public LeaseRevokeResponse revoke(long leaseId) {
        return Futures.await(async.revoke(leaseId));
    }

    public LeaseKeepAliveResponse keepAliveOnce(long leaseId) {
        return Futures.await(async.keepAliveOnce(leaseId));
    }

    /** Starts a keep-alive; it never blocks (renewals are heard by the listener). */
    public KeepAlive keepAlive(long leaseId, KeepAliveListener listener) {
        return async.keepAlive(leaseId, listener);
    }

    public LeaseTimeToLiveResponse timeToLive(long leaseId, boolean withKeys) {
        return Futures.await(async.timeToLive(leaseId, withKeys));
    }

    public LeaseListResponse leases() {
        return Futures.await(async.leases());
    }
}
