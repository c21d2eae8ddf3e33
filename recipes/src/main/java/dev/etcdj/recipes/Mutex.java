package dev.etcdj.recipes;

import static dev.etcdj.client.Options.firstCreate;
import static dev.etcdj.client.Options.lease;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A distributed lock with Go's {@code concurrency.Mutex} semantics. Each session queues under the
 * prefix with a key {@code <prefix>/<lease id in hex>} on its lease, created only if absent; the
 * key with the oldest create revision holds the lock. A waiter watches only the key queued just
 * before its own, so releasing wakes one waiter (no thundering herd), and waiters are served in
 * arrival order.
 * <p>
 * The lock is bound to the session: when the session's lease ends, its key is deleted and the next
 * waiter gets the lock. Guard writes that must only happen while holding the lock with
 * {@link #isOwner()} in a transaction: after a pause (GC, partition) longer than the TTL, the lock
 * may have passed to someone else without this process noticing.
 * <pre>{@code
 * Mutex mutex = new Mutex(session, "/locks/report");
 * mutex.lock().join();
 * try {
 *     client.kv().txn().when(mutex.isOwner()).then(Op.put("report", "done")).commit().join();
 * } finally {
 *     mutex.unlock().join();
 * }
 * }</pre>
 * Two {@code Mutex} objects on the same session and prefix share one key, as in Go: the lock is
 * the session's, not the object's. An instance is meant for one lock/unlock at a time.
 */
public final class Mutex extends SessionKey {

    private volatile long myRevision = -1;
    private volatile ResponseHeader header = ResponseHeader.EMPTY;

    /** A lock named by {@code prefix}; its keys live under {@code prefix + "/"}. */
    public Mutex(Session session, String prefix) {
        super(session, prefix);
    }

    /**
     * Completes once this session holds the lock. Fails with {@link SessionExpiredException} when
     * the session ends first. Cancelling the future gives up the place in the queue.
     */
    public CompletableFuture<Void> lock() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!session.isAlive()) {
            result.completeExceptionally(new SessionExpiredException());
            return result;
        }
        CompletableFuture<TxnResponse> acquire = tryAcquire();
        acquire.whenComplete((resp, err) -> {
            if (err != null) {
                result.completeExceptionally(Waits.unwrap(err));
            } else if (ownsLock(resp)) {
                header = resp.header();
                result.complete(null);
            } else {
                // Wait until every key queued before ours is gone (the key is the session's, shared
                // by every Mutex of the session on this name, so any creation of it will do).
                awaitTurn(myRevision, false, result, hdr -> header = hdr, () -> { });
            }
        });
        // A session that ends while we wait will never get the lock.
        session.failOnEnd(result);
        // Whatever made us give up (cancel, session end, error), leave the queue once our put landed.
        Waits.undoOnFailure(result, acquire, this::deleteKey);
        return result;
    }

    /**
     * Takes the lock if nobody holds it, without waiting: true when this session holds it now. When
     * someone else holds it, leaves the queue again and answers false.
     */
    public CompletableFuture<Boolean> tryLock() {
        if (!session.isAlive()) {
            return CompletableFuture.failedFuture(new SessionExpiredException());
        }
        return tryAcquire().thenCompose(resp -> {
            if (ownsLock(resp)) {
                header = resp.header();
                return CompletableFuture.completedFuture(true);
            }
            return deleteKey().thenApply(d -> false);
        });
    }

    /** Releases the lock (or leaves the queue): deletes this session's key. */
    public CompletableFuture<Void> unlock() {
        return deleteKey().thenApply(d -> null);
    }

    /** A compare that holds only while this session still holds the lock it acquired: for guarded txns. */
    public Cmp isOwner() {
        return Cmp.createRevision(myKey).equalTo(myRevision);
    }

    /** This session's key under the prefix. */
    public Bytes key() {
        return myKey;
    }

    /** The header of the response that granted the lock. */
    public ResponseHeader header() {
        return header;
    }

    public Session session() {
        return session;
    }

    /**
     * Puts our key if absent (it is kept when this session already queued), and reads the holder in
     * the same transaction so an uncontended lock costs one round trip.
     */
    private CompletableFuture<TxnResponse> tryAcquire() {
        Op.Get getOwner = Op.get(prefix, firstCreate());
        return client.kv().txn()
                .when(Cmp.createRevision(myKey).equalTo(0))
                .then(Op.put(myKey, Bytes.EMPTY, lease(session.leaseId())), getOwner)
                .orElse(Op.get(myKey), getOwner)
                .commit()
                .thenApply(resp -> {
                    myRevision = resp.succeeded()
                            ? resp.header().revision()
                            : resp.getResponse(0).kvs().get(0).createRevision();
                    return resp;
                });
    }

    private boolean ownsLock(TxnResponse resp) {
        List<KeyValue> owner = resp.getResponse(1).kvs();
        return owner.isEmpty() || owner.get(0).createRevision() == myRevision;
    }

    private CompletableFuture<DeleteResponse> deleteKey() {
        return client.kv().delete(myKey).thenApply(d -> {
            myRevision = -1;
            return d;
        });
    }

    @Override
    public String toString() {
        return "Mutex{key=" + myKey + "}";
    }
}
