package dev.etcdj.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes: for state another thread or another
 * process changes with no event to wait on (a member's leader, a thread count, a server's view).
 * The poll interval starts at 5 ms and doubles up to 100 ms, so a quick condition costs little
 * and a slow one does not spin.
 *
 * <pre>{@code
 * Await.until(Duration.ofSeconds(10), "member 0 leads", () -> cluster.leaderIndex() == 0);
 * }</pre>
 */
public final class Await {
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(100).toNanos();

    private Await() {
    }

    /** Returns once {@code condition} holds; throws {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        if (!poll(timeout, condition)) {
            throw new AssertionError("not within " + timeout + ": " + what);
        }
    }

    /**
     * Polls until {@code condition} holds (true) or {@code timeout} passes (false), for a test that
     * asserts on the final state itself. The condition is always evaluated at least once, and once
     * more after the deadline.
     *
     * @throws AssertionError if the thread is interrupted while waiting (the interrupt stays set)
     */
    public static boolean poll(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return condition.getAsBoolean();
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted while polling");
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
        return true;
    }
}
