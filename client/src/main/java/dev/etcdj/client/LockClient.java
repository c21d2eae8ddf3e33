package dev.etcdj.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's lock service ({@code v3lockpb.Lock}): the server runs a distributed mutex for the caller.
 * It shares its key layout with Go's {@code concurrency.Mutex} and with the recipes' {@code Mutex}:
 * a lock named {@code n} is held by the key {@code n/<lease id in hex>} with the oldest create
 * revision, so all three exclude each other on the same name.
 * <pre>{@code
 * long lease = client.lease().grant(30).join().leaseId();
 * LockResponse held = client.lock().lock("jobs/nightly", lease).join();   // waits for the lock
 * try { ... } finally { client.lock().unlock(held.key()).join(); }
 * }</pre>
 */
public interface LockClient extends CallViews<LockClient> {

    /**
     * Waits for the lock named {@code name} and completes once it is held, by a key on the lease
     * {@code leaseId}; the lock is released when that key is unlocked or the lease ends. With lease
     * 0 the server grants one of 60 s that nobody keeps alive, as etcd does. Fails with
     * {@link LeaseNotFoundException} when the lease does not exist.
     *
     * <p>Waiting has no deadline on this client (a lock may be held for long); cancelling the
     * future gives up and the server withdraws the request. On a {@link #withTimeout} view the
     * wait ends with {@link EtcdTimeoutException} after that timeout.
     */
    CompletableFuture<LockResponse> lock(Bytes name, long leaseId);

    default CompletableFuture<LockResponse> lock(String name, long leaseId) {
        return lock(Bytes.of(name), leaseId);
    }

    /**
     * Releases the lock held by {@code key} (from {@link LockResponse#key()}): deletes the key.
     * As in etcd, a key that is not held (already unlocked, expired, never locked) is no error.
     */
    CompletableFuture<ResponseHeader> unlock(Bytes key);

    /**
     * A view of this client whose calls use this deadline, waiting for a lock included.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    LockClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingLockClient blocking() {
        return WaitingViews.of(BlockingLockClient.class, this, LockClient::blocking);
    }
}
