package dev.etcdj.client.internal.election;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The deadline of a call that waits for its turn (lock, campaign) on a client without a timeout view. */
final class Waiting {

    /**
     * Long enough never to end a wait that someone means, short enough for gRPC's deadline
     * arithmetic (nanoseconds in a long). The caller ends a wait by cancelling its future.
     */
    static final Duration UNBOUNDED = Duration.ofDays(365L * 100);

    private Waiting() {}

    /**
     * The call's answer mapped by {@code f}, in a future whose cancellation cancels the call (a
     * dependent stage alone would not): giving up a wait must reach the server, which then
     * withdraws the waiter's key.
     */
    static <T, R> CompletableFuture<R> map(CompletableFuture<T> call, Function<? super T, ? extends R> f) {
        CompletableFuture<R> out = call.thenApply(f);
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                call.cancel(true);
            }
        });
        return out;
    }
}
