package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.WatchEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A barrier that holds every waiter back until it is released, as Go's experimental
 * {@code recipe.Barrier}: the barrier is up while its key exists. Not bound to a session: a holder
 * that dies leaves the barrier up until someone releases it.
 * <pre>{@code
 * Barrier barrier = new Barrier(client, "/barriers/deploy");
 * barrier.hold().join();            // coordinator
 * barrier.await().join();           // workers block here ...
 * barrier.release().join();         // ... until the coordinator releases
 * }</pre>
 */
public final class Barrier {

    private final EtcdClient client;
    private final Bytes key;

    public Barrier(EtcdClient client, String key) {
        this.client = Objects.requireNonNull(client, "client");
        this.key = Bytes.of(Objects.requireNonNull(key, "key"));
    }

    /** Raises the barrier; fails with {@link KeyExistsException} when it is already up. */
    public CompletableFuture<Void> hold() {
        return RecipeKeys.putNew(client, key, Bytes.EMPTY, RecipeKeys.NO_LEASE).thenApply(rev -> null);
    }

    /** Lowers the barrier, letting every waiter through; lowering a barrier that is down is no error. */
    public CompletableFuture<Void> release() {
        return client.kv().delete(key).thenApply(d -> null);
    }

    /** Completes once the barrier is down: at once when it is not up. Cancelling stops the wait. */
    public CompletableFuture<Void> await() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.kv().get(key).whenComplete((resp, err) -> {
            if (err != null) {
                result.completeExceptionally(Waits.unwrap(err));
            } else if (resp.kvs().isEmpty()) {
                result.complete(null);
            } else {
                Waits.waitEvent(client, key, false, resp.header().revision() + 1, WatchEvent.Type.DELETE, result)
                        .whenComplete((e, werr) -> {
                            if (werr != null) {
                                result.completeExceptionally(Waits.unwrap(werr));
                            } else {
                                result.complete(null);
                            }
                        });
            }
        });
        return result;
    }

    public String key() {
        return key.toStringUtf8();
    }

    @Override
    public String toString() {
        return "Barrier{key=" + key + "}";
    }
}
