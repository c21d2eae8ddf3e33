package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/** Helpers for the default methods of the client interfaces. */
final class OpFutures {

    private OpFutures() {}

    /**
     * The op's response as its own type. Cancelling the returned future cancels {@code source} too,
     * so that cancelling a call still cancels the request (a plain thenApply would not).
     */
    static <R extends OpResponse> CompletableFuture<R> narrow(CompletableFuture<OpResponse> source, Class<R> type) {
        CompletableFuture<R> narrowed = source.thenApply(type::cast);
        narrowed.whenComplete((r, e) -> {
            if (narrowed.isCancelled()) {
                source.cancel(true);
            }
        });
        return narrowed;
    }
}
