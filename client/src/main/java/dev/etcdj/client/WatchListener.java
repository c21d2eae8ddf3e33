package dev.etcdj.client;

/**
 * Hears a watch: responses in revision order, then exactly one of {@link #onError} or
 * {@link #onClosed}. Callbacks for one watch run one at a time, in order, never on a network
 * thread. While a listener is slow, the client stops reading for that stream instead of buffering
 * without bound (see the client's documentation of its backpressure policy).
 */
@FunctionalInterface
public interface WatchListener {

    /** Events of one or more revisions, or a progress notification (no events). */
    void onNext(WatchResponse response);

    /**
     * Terminal: the watch cannot go on. A {@link CompactedException} (with its compact revision)
     * when the revision it needs was compacted; another {@link EtcdException} when the server
     * cancelled it (e.g. {@link PermissionDeniedException}) or its stream failed in a way retrying
     * cannot fix ({@link AuthFailedException}, a refused certificate, a message over the size limit:
     * then every watch of that stream ends). Lost connections and leader changes are ridden out.
     */
    default void onError(EtcdException error) {}

    /** Terminal: closed by the user or by closing the client. */
    default void onClosed() {}
}
