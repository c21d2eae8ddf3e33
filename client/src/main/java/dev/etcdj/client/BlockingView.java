package dev.etcdj.client;

import java.time.Duration;

/**
 * What the blocking view of every service client shares: its per-call views and the way back to
 * the async client. Each call of a blocking view is the async client's call of the same name and
 * parameters, waited for as {@link Futures#await} waits: it returns the future's value and throws
 * the {@link EtcdException} itself, not wrapped. A call whose async form returns no future (a
 * lease's {@code keepAlive}) does not block and returns what the async form returns.
 *
 * @param <A> the async service client
 * @param <B> the blocking view's own type
 */
public interface BlockingView<A extends CallViews<A>, B> {

    /**
     * The same view with this deadline per call instead of the client's default.
     *
     * @param timeout the deadline of each call
     * @return the view
     */
    B withTimeout(Duration timeout);

    /**
     * The same view whose calls fail with {@link NoLeaderException} on a member without a leader.
     *
     * @return the view
     */
    B withRequireLeader();

    /**
     * The async client this view belongs to (its futures complete on the client's callback pool).
     *
     * @return the async client
     */
    A async();
}
