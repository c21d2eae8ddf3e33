package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.WatchEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer side that {@link Queue} and {@link PriorityQueue} share; they differ only in which
 * element comes first. A consumer reads the head, claims it by deleting it only if it is unchanged,
 * reads again when others took what it read, and waits for a put under the prefix when the queue is
 * empty, so every element is taken exactly once even with many consumers.
 */
abstract class PrefixQueue {

    final EtcdClient client;
    final String prefix;

    PrefixQueue(EtcdClient client, String prefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /** Reads the element to serve first (and whether there are more) under the prefix. */
    abstract CompletableFuture<GetResponse> readHead();

    /** Takes the next element, waiting for one when the queue is empty. Cancelling stops the wait. */
    public CompletableFuture<Bytes> dequeue() {
        CompletableFuture<Bytes> result = new CompletableFuture<>();
        take(Bytes.of(prefix), result);
        return result;
    }

    /** {@link #dequeue()} as UTF-8 text. */
    public CompletableFuture<String> dequeueString() {
        return dequeue().thenApply(Bytes::toStringUtf8);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{prefix=" + prefix + "}";
    }

    private void take(Bytes watchPrefix, CompletableFuture<Bytes> result) {
        if (result.isDone()) {
            return;
        }
        readHead().thenCompose(resp -> RecipeKeys.claimFirst(client, resp.kvs()).thenCompose(claimed -> {
            if (claimed.isPresent()) {
                result.complete(claimed.get().value());
                return CompletableFuture.completedFuture(null);
            }
            if (resp.more()) {
                // Others took what we read, and there is more: read again.
                take(watchPrefix, result);
                return CompletableFuture.completedFuture(null);
            }
            return Waits.waitEvent(client, watchPrefix, true, resp.header().revision(), WatchEvent.Type.PUT, result)
                    .thenCompose(event -> RecipeKeys.deleteAt(client, event.kv().key(), event.kv().modRevision())
                            .thenApply(won -> {
                                if (won) {
                                    result.complete(event.kv().value());
                                } else {
                                    take(watchPrefix, result);
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
