package dev.etcdj.server;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Polls a condition until it holds or a deadline passes: the server tests' twin of the testing
 * module's {@code Await}, which is out of reach here (that module depends on this one). The pause
 * starts at 5 ms and doubles up to 100 ms. An exception or assertion error from the condition ends
 * the wait at once.
 */
public final class TestAwait {

    private TestAwait() {
    }

    /** Returns once {@code condition} holds; throws {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        while (!condition.call()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(pauseMillis); // the poll interval: what is polled has no event to wait on
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
    }
}
