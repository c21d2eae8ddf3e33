package dev.etcdj.recipes;

import static dev.etcdj.client.Options.firstRev;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A multi-producer, multi-consumer FIFO queue, as Go's experimental {@code recipe.Queue}: each
 * element is a key {@code <prefix>/<unix nanos>}; a consumer takes the oldest (lowest modification
 * revision) by deleting it only if it is unchanged, so every element is taken exactly once even with
 * many consumers. Elements survive every process (no lease).
 */
public final class Queue extends PrefixQueue {

    public Queue(EtcdClient client, String prefix) {
        super(client, prefix);
    }

    public CompletableFuture<Void> enqueue(String value) {
        return enqueue(Bytes.of(value));
    }

    public CompletableFuture<Void> enqueue(Bytes value) {
        return RecipeKeys.putUnique(client, prefix, value, RecipeKeys.NO_LEASE).thenApply(k -> null);
    }

    /** The oldest element is served first. */
    @Override
    CompletableFuture<GetResponse> readHead() {
        return client.kv().get(prefix, firstRev());
    }
}
