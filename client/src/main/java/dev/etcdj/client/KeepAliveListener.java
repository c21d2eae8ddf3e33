package dev.etcdj.client;

/**
 * Hears a keep-alive: each renewal, then exactly one of {@link #onExpired}, {@link #onError} or
 * {@link #onClosed}. A keep-alive never ends without saying why. Callbacks run on the client's
 * callback executor, never on a network thread; a callback that blocks delays only its own lease.
 */
public interface KeepAliveListener {

    /** The server renewed the lease; {@code response.ttl()} is its granted TTL. */
    default void onRenewed(LeaseKeepAliveResponse response) {}

    /** Terminal: the server does not know the lease (it expired, was revoked, or never existed). */
    default void onExpired(long leaseId) {}

    /**
     * Terminal: the lease could not be renewed before it would expire, despite retries (the error
     * says why, e.g. "could not connect to ..."), or the keep-alive stream failed in a way retrying
     * cannot fix: {@link AuthFailedException}, {@link PermissionDeniedException}, a certificate the
     * endpoints refuse, a message over the size limit.
     */
    default void onError(EtcdException error) {}

    /** Terminal: closed by the user or by closing the client. */
    default void onClosed() {}
}
