package dev.etcdj.recipes;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.sort;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.client.WatchEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A double barrier for a fixed number of participants, as Go's experimental
 * {@code recipe.DoubleBarrier}: {@link #enter()} completes once {@code count} participants have
 * entered, {@link #leave()} once all of them have left. Each participant's key
 * {@code <key>/waiters/<unix nanos>} is on its session's lease, so a participant that dies is counted
 * out when its lease expires. A participant beyond the count gets {@link TooManyClientsException}.
 * One instance is one participant; use a new instance (or session) per participant.
 */
public final class DoubleBarrier {

    private final Session session;
    private final EtcdClient client;
    private final String key;
    private final String waiters;
    private final Bytes readyKey;
    private final int count;
    private volatile RecipeKeys.KeyValueRef myKey;

    public DoubleBarrier(Session session, String key, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        this.session = Objects.requireNonNull(session, "session");
        this.client = session.client();
        this.key = Objects.requireNonNull(key, "key");
        this.waiters = key + "/waiters";
        this.readyKey = Bytes.of(key + "/ready");
        this.count = count;
    }

    /** Completes once {@code count} participants have entered (this one included). */
    public CompletableFuture<Void> enter() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        session.failOnEnd(result);
        entered().thenCompose(before -> {
            if (before.kvs().size() >= count) {
                throw new TooManyClientsException();
            }
            return RecipeKeys.putUnique(client, waiters, Bytes.EMPTY, session.leaseId());
        }).thenCompose(mine -> {
            myKey = mine;
            return entered().thenCompose(after -> {
                List<KeyValue> kvs = after.kvs();
                if (kvs.size() >= count) {
                    KeyValue last = kvs.get(count - 1);
                    if (mine.revision() > last.createRevision()) {
                        // Too late: step out at once so the others need not wait for our lease.
                        return client.kv().delete(mine.key()).thenApply(d -> {
                            throw new TooManyClientsException();
                        });
                    }
                    if (mine.revision() == last.createRevision()) {
                        // We completed the count: open the barrier for everyone.
                        return client.kv().put(readyKey, Bytes.EMPTY).thenApply(p -> null);
                    }
                }
                return Waits.waitEvent(client, readyKey, false, mine.revision(), WatchEvent.Type.PUT, result)
                        .thenApply(e -> null);
            });
        }).whenComplete((v, err) -> {
            if (err != null) {
                result.completeExceptionally(Waits.unwrap(err));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    /** Completes once every participant has left. */
    public CompletableFuture<Void> leave() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        session.failOnEnd(result);
        Waits.repeatUntil(() -> leaveStep(result), result);
        return result;
    }

    /** One look at the waiters: true once we are out, false when it is to be looked at again. */
    private CompletableFuture<Boolean> leaveStep(CompletableFuture<Void> result) {
        return client.kv().get(waiters, prefix()).thenCompose(resp -> {
            List<KeyValue> kvs = resp.kvs();
            if (kvs.isEmpty()) {
                return CompletableFuture.completedFuture(true);
            }
            KeyValue lowest = kvs.get(0);
            KeyValue highest = kvs.get(0);
            for (KeyValue kv : kvs) {
                if (kv.modRevision() < lowest.modRevision()) {
                    lowest = kv;
                }
                if (kv.modRevision() > highest.modRevision()) {
                    highest = kv;
                }
            }
            RecipeKeys.KeyValueRef mine = myKey;
            boolean isLowest = mine != null && lowest.key().equals(mine.key());
            if (kvs.size() == 1 && isLowest) {
                // The last one out closes the barrier behind everyone.
                return client.kv().delete(readyKey)
                        .thenCompose(d -> client.kv().delete(mine.key()))
                        .thenApply(d -> true);
            }
            if (isLowest) {
                // The lowest leaves last: wait for the highest to go, then look again.
                return Waits.waitEvent(client, highest.key(), false, highest.modRevision(), WatchEvent.Type.DELETE, result)
                        .thenApply(e -> false);
            }
            KeyValue waitFor = lowest;
            CompletableFuture<?> deleteMine = mine == null
                    ? CompletableFuture.completedFuture(null) : client.kv().delete(mine.key());
            return deleteMine.thenCompose(d -> Waits.waitEvent(client, waitFor.key(), false, waitFor.modRevision(),
                    WatchEvent.Type.DELETE, result)).thenApply(e -> false);
        });
    }

    private CompletableFuture<GetResponse> entered() {
        return client.kv().get(waiters, prefix(), sort(SortTarget.CREATE, SortOrder.ASCEND));
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "DoubleBarrier{key=" + key + ", count=" + count + "}";
    }
}
