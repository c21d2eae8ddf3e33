package dev.etcdj.recipes;

import dev.etcdj.client.CallViews;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A service client that wraps another (a namespace, a lease cache, ordered reads): its per-call
 * views are the same wrapper around the wrapped client's views, so they keep what the wrapper adds.
 *
 * @param <S> the service client
 */
abstract class Wrapper<S extends CallViews<S>> implements CallViews<S> {

    final S inner;
    /** This wrapper, with whatever state it keeps, around a view of the wrapped client. */
    private final Function<S, S> wrap;

    Wrapper(S inner, Function<S, S> wrap) {
        this.inner = inner;
        this.wrap = wrap;
    }

    @Override
    public S withTimeout(Duration timeout) {
        return wrap.apply(inner.withTimeout(timeout));
    }

    @Override
    public S withRequireLeader() {
        return wrap.apply(inner.withRequireLeader());
    }

    /** A wrapper that confines the wrapped client to a {@link Namespace}. */
    abstract static class Namespaced<S extends CallViews<S>> extends Wrapper<S> {
        final KeyPrefix pfx;

        Namespaced(S inner, KeyPrefix pfx, BiFunction<S, KeyPrefix, S> wrap) {
            super(inner, view -> wrap.apply(view, pfx));
            this.pfx = pfx;
        }
    }
}
