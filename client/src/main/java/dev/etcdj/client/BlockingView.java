package dev.etcdj.client;

import java.time.Duration;
import java.util.function.Function;

/**
 * What the blocking view of every service client shares: its per-call views and the way back to
 * the async client.
 *
 * @param <A> the async service client
 * @param <B> the blocking view's own type
 */
public abstract class BlockingView<A extends CallViews<A>, B> {

    /** The async client this view belongs to. */
    final A async;
    private final Function<A, B> blocking;

    BlockingView(A async, Function<A, B> blocking) {
        this.async = async;
        this.blocking = blocking;
    }

    /**
     * The same view with this deadline per call instead of the client's default.
     *
     * @param timeout the deadline of each call
     * @return the view
     */
    public B withTimeout(Duration timeout) {
        return blocking.apply(async.withTimeout(timeout));
    }

    /**
     * The same view whose calls fail with {@link NoLeaderException} on a member without a leader.
     *
     * @return the view
     */
    public B withRequireLeader() {
        return blocking.apply(async.withRequireLeader());
    }

    /**
     * The async client this view belongs to (its futures complete on the client's callback pool).
     *
     * @return the async client
     */
    public A async() {
        return async;
    }
}
