package dev.etcdj.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Spaces requests evenly at a fixed rate: each caller reserves the next free slot and learns how
 * long to wait for it. Lock-free, so workers on many threads share one limiter; no burst is
 * allowed beyond one slot, like Go's {@code rate.NewLimiter(r, 1)} that etcd's tools use.
 */
public final class RateLimiter {

    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextSlot;

    public RateLimiter(double permitsPerSecond) {
        this(permitsPerSecond, System::nanoTime);
    }

    /** With an explicit clock, for tests. */
    public RateLimiter(double permitsPerSecond, LongSupplier clock) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number: " + permitsPerSecond);
        }
        this.intervalNanos = Math.max(1, Math.round(1_000_000_000d / permitsPerSecond));
        this.clock = clock;
        this.nextSlot = new AtomicLong(clock.getAsLong());
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /**
     * Reserves one permit and returns how many nanoseconds the caller must wait before using it
     * (0 when it may go now). A limiter that fell idle does not save up permits for a burst later.
     */
    public long reserve() {
        while (true) {
            long now = clock.getAsLong();
            long slot = nextSlot.get();
            long granted = Math.max(slot, now);
            if (nextSlot.compareAndSet(slot, granted + intervalNanos)) {
                return granted - now;
            }
        }
    }
}
