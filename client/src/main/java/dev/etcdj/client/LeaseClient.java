package dev.etcdj.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's leases: grant, revoke, keep alive, and ask about them. A key put with
 * {@link Options#lease(long)} is deleted when its lease is revoked or expires.
 */
public interface LeaseClient extends CallViews<LeaseClient> {

    /** A lease with this TTL in seconds and an ID chosen by the server (etcd raises TTLs below its minimum). */
    CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds);

    /** A lease with this TTL and this ID; fails with {@link LeaseExistsException} when the ID is taken. */
    CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds, long leaseId);

    /** Ends the lease now, deleting its keys; {@link LeaseNotFoundException} when there is no such lease. */
    CompletableFuture<LeaseRevokeResponse> revoke(long leaseId);

    /** Renews the lease once; fails with {@link LeaseNotFoundException} when it has expired or never existed. */
    CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long leaseId);

    /**
     * Keeps the lease alive until the handle is closed: renews it at about a third of its TTL over one
     * stream shared by every lease of this client, across reconnects and endpoint failover. The
     * listener hears every renewal and exactly one terminal event.
     */
    KeepAlive keepAlive(long leaseId, KeepAliveListener listener);

    /** The lease's remaining and granted TTL; {@code ttl() == -1} when it does not exist. */
    CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId, boolean withKeys);

    /** Every lease the server holds. */
    CompletableFuture<LeaseListResponse> leases();

    /**
     * A view of this client whose calls use this deadline instead of the client's default. Keep-alives
     * are not affected: they renew until closed.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    LeaseClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingLeaseClient blocking() {
        return WaitingViews.of(BlockingLeaseClient.class, this, LeaseClient::blocking);
    }
}
