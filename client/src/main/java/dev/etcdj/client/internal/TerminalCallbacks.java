package dev.etcdj.client.internal;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How the stream owners (watch, keep-alive) close: the client shuts its callback executor down right after. */
public final class TerminalCallbacks {

    /** How long a closing owner waits for the terminal callbacks (onClosed) it queued. */
    static final long CLOSE_WAIT_SECONDS = 2;

    private TerminalCallbacks() {
    }

    /**
     * Waits a bounded time (a listener may block) for the terminal callbacks behind {@code done} to
     * have run. A slow or failing listener is not waited for further: its terminal event has still
     * been handed over, and it reports its own failure.
     */
    public static void await(Collection<? extends CompletableFuture<?>> done) {
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // slow or failing listener: see above, nothing is lost
        }
    }
}
