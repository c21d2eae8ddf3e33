package dev.etcdj.recipes;

import static dev.etcdj.client.Options.firstKey;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A queue served by priority, lowest number first, and in arrival order within a priority, as Go's
 * experimental {@code recipe.PriorityQueue}: an element is a key {@code <prefix>/<%05d priority>/<%016d
 * sequence>}, so the first key in key order is the next to serve. Priorities are 0 to 65535.
 */
public final class PriorityQueue extends PrefixQueue {

    public PriorityQueue(EtcdClient client, String prefix) {
        super(client, Objects.requireNonNull(prefix, "prefix") + "/");
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

    /** The element with the lowest priority number is served first: the first key in key order. */
    @Override
    CompletableFuture<GetResponse> readHead() {
        return client.kv().get(prefix, firstKey());
    }
}
