package dev.etcdj.recipes;

import static dev.etcdj.client.Options.firstKey;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A queue served by priority, lowest number first, and in arrival order within a priority, as Go's
 * experimental {@code recipe.PriorityQueue}: an element is a key {@code <prefix>/<%05d priority>/<%016d
 * sequence>}, so the first key in key order is the next to serve. Priorities are 0 to 65535.
 */
public final class PriorityQueue {

    private final EtcdClient client;
    private final String prefix;

    public PriorityQueue(EtcdClient client, String prefix) {
        this.client = Objects.requireNonNull(client, "client");
        this.prefix = Objects.requireNonNull(prefix, "prefix") + "/";
    }

    public CompletableFuture<Void> enqueue(String value, int priority) {
        return enqueue(Bytes.of(value), priority);
    }

    /** Adds an element; {@code priority} 0 is served first. */
    public CompletableFuture<Void> enqueue(Bytes value, int priority) {
        if (priority < 0 || priority > 0xFFFF) {
            throw new IllegalArgumentException("priority must be 0..65535: " + priority);
        }
        return RecipeKeys.putSequential(client, prefix + String.format("%05d", priority), value).thenApply(k -> null);
    }

    /** Takes the element with the lowest priority number, waiting for one when empty. */
    public CompletableFuture<Bytes> dequeue() {
        CompletableFuture<Bytes> result = new CompletableFuture<>();
        Queue.Dequeue.take(client, Bytes.of(prefix), () -> client.kv().get(prefix, firstKey()), result);
        return result;
    }

    public CompletableFuture<String> dequeueString() {
        return dequeue().thenApply(Bytes::toStringUtf8);
    }

    @Override
    public String toString() {
        return "PriorityQueue{prefix=" + prefix + "}";
    }
}
