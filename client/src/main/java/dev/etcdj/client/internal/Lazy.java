package dev.etcdj.client.internal;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made on first use, once, by whichever thread asks first. The client's sub-clients are
 * made this way: a one-shot command that only reads a key then never loads the lease, watch, lock
 * or election machinery.
 */
final class Lazy<T> implements Supplier<T> {

    private final Supplier<? extends T> maker;
    private volatile T value;

    Lazy(Supplier<? extends T> maker) {
        this.maker = Objects.requireNonNull(maker, "maker");
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(maker.get(), "made value");
                    value = v;
                }
            }
        }
        return v;
    }

    /** The value if it has been made, else null: for closing only what exists. */
    T ifMade() {
        return value;
    }
}
