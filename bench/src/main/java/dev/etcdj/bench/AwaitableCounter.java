package dev.etcdj.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter one thread can wait on until it reaches a value. Incrementing costs one atomic add;
 * the lock is taken only when a waiter's target is reached, so counting watch events on the
 * client's threads does not serialize them.
 */
public final class AwaitableCounter {

    private final AtomicLong value = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private final Object lock = new Object();

    public long increment() {
        long v = value.incrementAndGet();
        if (v >= target) {
            wake();
        }
        return v;
    }

    public long get() {
        return value.get();
    }

    /** Wakes a waiter early, so it can look at something other than the count (an error). */
    public void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Waits until the count reaches {@code expected}; false when the timeout passed first. */
    public boolean await(long expected, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            target = expected;
            try {
                while (value.get() < expected) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                return true;
            } finally {
                target = Long.MAX_VALUE;
            }
        }
    }
}
