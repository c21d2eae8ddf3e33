package dev.etcdj.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting on the client's futures without the wrapping Java adds. */
public final class Futures {

    private Futures() {}

    /**
     * Waits for the future and returns its value; an {@link EtcdException} (or any unchecked
     * exception) it failed with is thrown as it is, not wrapped. An interrupt cancels the future,
     * keeps the thread's interrupt flag, and throws {@link CancellationException}.
     *
     * @throws IllegalStateException when called on one of the client's network threads (a stage
     *     chained under {@link ClientBuilder#completeOnNetworkThreads}) on a future of the client
     *     that is not done yet, where waiting would deadlock
     */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            CancellationException ce = new CancellationException("interrupted while waiting for etcd");
            ce.initCause(e);
            throw ce;
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (CompletionException e) {
            throw unwrap(e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new EtcdException(EtcdException.Code.UNKNOWN, String.valueOf(t), t);
    }
}
