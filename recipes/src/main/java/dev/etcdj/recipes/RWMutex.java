package dev.etcdj.recipes;

import static dev.etcdj.client.Options.lastRev;
import static dev.etcdj.client.Options.maxModRevision;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.WatchEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed readers-writer lock, as Go's experimental {@code recipe.RWMutex}: readers queue as
 * {@code <prefix>/read/<unix nanos>}, writers as {@code <prefix>/write/<unix nanos>}, each on its
 * session's lease. A reader waits only for writers queued before it; a writer waits for everyone
 * queued before it. When the session ends, its keys go with the lease and the lock passes on.
 * One instance holds at most one lock (read or write) at a time.
 */
public final class RWMutex {

    private final Session session;
    private final EtcdClient client;
    private final String prefix;
    private volatile RecipeKeys.KeyValueRef myKey;

    public RWMutex(Session session, String prefix) {
        this.session = Objects.requireNonNull(session, "session");
        this.client = session.client();
        this.prefix = Objects.requireNonNull(prefix, "prefix") + "/";
    }

    /** Completes once this session holds the lock for reading. */
    public CompletableFuture<Void> readLock() {
        return acquire(prefix + "read", prefix + "write");
    }

    /** Completes once this session holds the lock exclusively. */
    public CompletableFuture<Void> writeLock() {
        return acquire(prefix + "write", prefix);
    }

    /** Releases the read lock (or leaves the queue). */
    public CompletableFuture<Void> readUnlock() {
        return release();
    }

    /** Releases the write lock (or leaves the queue). */
    public CompletableFuture<Void> writeUnlock() {
        return release();
    }

    private CompletableFuture<Void> acquire(String queue, String blockers) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        session.failOnEnd(result);
        CompletableFuture<RecipeKeys.KeyValueRef> put = RecipeKeys.putUnique(client, queue, Bytes.EMPTY, session.leaseId());
        put.whenComplete((mine, err) -> {
            if (err != null) {
                result.completeExceptionally(Waits.unwrap(err));
                return;
            }
            myKey = mine;
            Waits.repeatUntil(() -> noBlockerLeft(blockers, mine.revision(), result), result);
        });
        // Giving up (cancel, session end, error) leaves the queue once our key is in it.
        result.whenComplete((v, e) -> {
            if (e != null) {
                put.thenAccept(mine -> client.kv().delete(mine.key()));
            }
        });
        return result;
    }

    /**
     * True when no key under {@code blockers} older than ours is left; else waits for the newest of
     * them to go and answers false, to look again.
     */
    private CompletableFuture<Boolean> noBlockerLeft(String blockers, long myRevision, CompletableFuture<Void> result) {
        return client.kv().get(blockers, lastRev(), maxModRevision(myRevision - 1)).thenCompose(resp -> {
            if (resp.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(true);
            }
            return Waits.waitEvent(client, resp.kvs().get(0).key(), false, myRevision, WatchEvent.Type.DELETE, result)
                    .thenApply(e -> false);
        });
    }

    private CompletableFuture<Void> release() {
        RecipeKeys.KeyValueRef mine = myKey;
        if (mine == null) {
            return CompletableFuture.completedFuture(null);
        }
        myKey = null;
        return client.kv().delete(mine.key()).thenApply(d -> null);
    }

    @Override
    public String toString() {
        return "RWMutex{prefix=" + prefix + "}";
    }
}
