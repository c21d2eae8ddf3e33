package dev.etcdj.client;

import java.time.Duration;

/** The blocking view of a {@link LeaseClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingLeaseClient {

    private final LeaseClient lease;

    BlockingLeaseClient(LeaseClient lease) {
        this.lease = lease;
    }

    public LeaseGrantResponse grant(long ttlSeconds) {
        return Futures.await(lease.grant(ttlSeconds));
    }

    public LeaseGrantResponse grant(long ttlSeconds, long leaseId) {
        return Futures.await(lease.grant(ttlSeconds, leaseId));
    }

    public LeaseRevokeResponse revoke(long leaseId) {
        return Futures.await(lease.revoke(leaseId));
    }

    public LeaseKeepAliveResponse keepAliveOnce(long leaseId) {
        return Futures.await(lease.keepAliveOnce(leaseId));
    }

    /** Starts a keep-alive; it never blocks (renewals are heard by the listener). */
    public KeepAlive keepAlive(long leaseId, KeepAliveListener listener) {
        return lease.keepAlive(leaseId, listener);
    }

    public LeaseTimeToLiveResponse timeToLive(long leaseId, boolean withKeys) {
        return Futures.await(lease.timeToLive(leaseId, withKeys));
    }

    public LeaseListResponse leases() {
        return Futures.await(lease.leases());
    }

    /** The same view with this deadline per call instead of the client's default. */
    public BlockingLeaseClient withTimeout(Duration timeout) {
        return lease.withTimeout(timeout).blocking();
    }

    public LeaseClient async() {
        return lease;
    }
}
