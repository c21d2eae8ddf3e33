package dev.etcdj.client;

/**
 * Hears an {@link ElectionClient#observe observation}: the leader when the observation starts (or
 * the first one to come), then each value it proclaims and each new leader, in order, one call at a
 * time, on the client's callback threads. Exactly one of {@link #onError} and {@link #onClosed}
 * ends it.
 */
public interface ElectionListener {

    /** A new leader, or a new value of the same leader. */
    void onLeader(LeaderResponse leader);

    /** Terminal: the observation cannot go on (no permission, a bad request, ...). */
    default void onError(EtcdException error) {}

    /** Terminal: the observation was closed, or the client was. */
    default void onClosed() {}
}
