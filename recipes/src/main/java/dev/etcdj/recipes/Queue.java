package dev.etcdj.recipes;

import static dev.etcdj.client.Options.firstRev;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.WatchEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A multi-producer, multi-consumer FIFO queue, as Go's experimental {@code recipe.Queue}: each
 * element is a key {@code <prefix>/<unix nanos>}; a consumer takes the oldest (lowest modification
 * revision) by deleting it only if it is unchanged, so every element is taken exactly once even with
 * many consumers. Elements survive every process (no lease).
 */
public final class Queue {

    private final EtcdClient client;
    private final String prefix;

    public Queue(EtcdClient client, String prefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public CompletableFuture<Void> enqueue(String value) {
        return enqueue(Bytes.of(value));
    }

    public CompletableFuture<Void> enqueue(Bytes value) {
        return RecipeKeys.putUnique(client, prefix, value, RecipeKeys.NO_LEASE).thenApply(k -> null);
    }

    /** Takes the oldest element, waiting for one when the queue is empty. Cancelling stops the wait. */
    public CompletableFuture<Bytes> dequeue() {
        CompletableFuture<Bytes> result = new CompletableFuture<>();
        Dequeue.take(client, Bytes.of(prefix), () -> client.kv().get(prefix, firstRev()), result);
        return result;
    }

    /** {@link #dequeue()} as UTF-8 text. */
    public CompletableFuture<String> dequeueString() {
        return dequeue().thenApply(Bytes::toStringUtf8);
    }

    @Override
    public String toString() {
        return "Queue{prefix=" + prefix + "}";
    }

    /** The consumer loop shared with {@link PriorityQueue}: read the head, claim it, or wait for a put. */
    static final class Dequeue {

        private Dequeue() {}

        static void take(EtcdClient client, Bytes watchPrefix,
                         java.util.function.Supplier<CompletableFuture<GetResponse>> head,
                         CompletableFuture<Bytes> result) {
            if (result.isDone()) {
                return;
            }
            head.get().thenCompose(resp -> RecipeKeys.claimFirst(client, resp.kvs()).thenCompose(claimed -> {
                if (claimed.isPresent()) {
                    result.complete(claimed.get().value());
                    return CompletableFuture.completedFuture(null);
                }
                if (resp.more()) {
                    // Others took what we read, and there is more: read again.
                    take(client, watchPrefix, head, result);
                    return CompletableFuture.completedFuture(null);
                }
                return Waits.waitEvent(client, watchPrefix, true, resp.header().revision(), WatchEvent.Type.PUT, result)
                        .thenCompose(event -> RecipeKeys.deleteAt(client, event.kv().key(), event.kv().modRevision())
                                .thenApply(won -> {
                                    if (won) {
                                        result.complete(event.kv().value());
                                    } else {
                                        take(client, watchPrefix, head, result);
                                    }
                                    return null;
                                }));
            })).whenComplete((v, err) -> {
                if (err != null) {
                    result.completeExceptionally(Waits.unwrap(err));
                }
            });
        }
    }
}
