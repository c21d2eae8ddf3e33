package dev.etcdj.client;

import java.time.Duration;
import java.util.function.Function;

/**
 * The blocking views written out by hand ({@link BlockingKvClient}, the most used, and
 * {@link BlockingWatchClient}, whose {@code watch} waits for the server's
 * confirmation): the others are made by {@link WaitingViews}.
 */
abstract class BlockingBase<A extends CallViews<A>, B> implements BlockingView<A, B> {

    /** The async client this view belongs to. */
    final A async;
    private final Function<A, B> blocking;

    BlockingBase(A async, Function<A, B> blocking) {
        this.async = async;
        this.blocking = blocking;
    }

    @Override
    public B withTimeout(Duration timeout) {
        return blocking.apply(async.withTimeout(timeout));
    }

    @Override
    public B withRequireLeader() {
        return blocking.apply(async.withRequireLeader());
    }

    @Override
    public A async() {
        return async;
    }
}
