package dev.etcdj.client;

/**
 * The client's connection to the cluster, as a {@link ConnectionStateListener} hears it (like
 * Curator's connection states). The client counts as connected while it has an established
 * connection to at least one of its endpoints.
 */
public enum ConnectionState {
    /** The first connection to any endpoint was established. Heard once per client. */
    CONNECTED,
    /**
     * The client lost its last established connection. Calls are retried on the other endpoints
     * within their deadlines; watches and keep-alives ride it out and resume by themselves.
     */
    SUSPENDED,
    /** A connection was established again after {@link #SUSPENDED} (or {@link #LOST}). */
    RECONNECTED,
    /**
     * Suspended for longer than the client's request timeout: calls made meanwhile have failed, and
     * leases kept alive by this client may have expired (their keep-alives say so when they do).
     * {@link #RECONNECTED} follows when a connection comes back.
     */
    LOST;

    /** Whether the client has an established connection in this state. */
    public boolean isConnected() {
        return this == CONNECTED || this == RECONNECTED;
    }
}
