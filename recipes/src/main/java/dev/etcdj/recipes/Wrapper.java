package dev.etcdj.recipes;

import dev.etcdj.client.CallViews;
import java.time.Duration;

/**
 * A service client that wraps another (a namespace, a lease cache, ordered reads): its per-call
 * views are the same wrapper around the wrapped client's views, so they keep what the wrapper adds.
 *
 * @param <S> the service client
 */
abstract class Wrapper<S extends CallViews<S>> implements CallViews<S> {

    final S inner;

    Wrapper(S inner) {
        this.inner = inner;
    }

    /** This wrapper, with whatever state it keeps, around {@code view} of the wrapped client. */
    abstract S wrap(S view);

    @Override
    public S withTimeout(Duration timeout) {
        return wrap(inner.withTimeout(timeout));
    }

    @Override
    public S withRequireLeader() {
        return wrap(inner.withRequireLeader());
    }

    /** A wrapper that confines the wrapped client to a {@link Namespace}. */
    abstract static class Namespaced<S extends CallViews<S>> extends Wrapper<S> {
        final KeyPrefix pfx;

        Namespaced(S inner, KeyPrefix pfx) {
            super(inner);
            this.pfx = pfx;
        }
    }
}
