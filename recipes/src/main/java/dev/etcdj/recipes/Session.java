package dev.etcdj.recipes;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Futures;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseNotFoundException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lease kept alive for as long as the session lives, like Go's {@code concurrency.Session}: the
 * liveness that locks and elections hang their keys on. When the process dies, the keep-alive stops
 * and etcd deletes the session's keys after the TTL; {@link #close()} revokes the lease at once.
 * <pre>{@code
 * try (Session session = Session.create(client)) {
 *     Mutex mutex = new Mutex(session, "/locks/jobs");
 *     mutex.lock().join();
 *     ...
 * }
 * }</pre>
 * Watch {@link #done()}: once the lease is lost (expired, or could not be renewed in time) every
 * lock or leadership held through this session is gone too.
 */
public final class Session implements AutoCloseable {

    /** Go's default session TTL, in seconds. */
    public static final long DEFAULT_TTL_SECONDS = 60;

    /** Why a session ended. */
    public enum End {
        /** Closed by {@link #close()} or {@link #orphan()}, or the client was closed. */
        CLOSED,
        /** etcd no longer knows the lease: it expired or someone revoked it. */
        EXPIRED,
        /** The lease could not be renewed before it would expire (see {@link #error()}). */
        ERROR
    }

    private final EtcdClient client;
    private final long leaseId;
    private final long ttlSeconds;
    private final CompletableFuture<End> done = new CompletableFuture<>();
    private final KeepAlive keepAlive;
    private volatile EtcdException error;
    /** Futures of waits (lock, campaign) that must fail when the session ends; removed once they complete. */
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();

    private Session(EtcdClient client, long leaseId, long ttlSeconds) {
        this.client = client;
        this.leaseId = leaseId;
        this.ttlSeconds = ttlSeconds;
        done.whenComplete((end, e) -> waiting.forEach(f -> f.completeExceptionally(new SessionExpiredException())));
        this.keepAlive = client.lease().keepAlive(leaseId, new KeepAliveListener() {
            @Override
            public void onExpired(long id) {
                done.complete(End.EXPIRED);
            }

            @Override
            public void onError(EtcdException e) {
                error = e;
                done.complete(End.ERROR);
            }

            @Override
            public void onClosed() {
                done.complete(End.CLOSED);
            }
        });
    }

    /** A session on a new lease of {@link #DEFAULT_TTL_SECONDS}; waits for the grant. */
    public static Session create(EtcdClient client) {
        return create(client, DEFAULT_TTL_SECONDS);
    }

    /** A session on a new lease of this TTL in seconds; waits for the grant. */
    public static Session create(EtcdClient client, long ttlSeconds) {
        return Futures.await(createAsync(client, ttlSeconds));
    }

    public static CompletableFuture<Session> createAsync(EtcdClient client, long ttlSeconds) {
        Objects.requireNonNull(client, "client");
        if (ttlSeconds <= 0) {
            throw new IllegalArgumentException("TTL must be positive: " + ttlSeconds);
        }
        return client.lease().grant(ttlSeconds).thenApply(g -> new Session(client, g.leaseId(), g.ttl()));
    }

    /**
     * A session on a lease that already exists (for example one a previous process left behind, to
     * take its locks back over); {@code ttlSeconds} is only what {@link #ttl()} reports.
     */
    public static Session fromLease(EtcdClient client, long leaseId, long ttlSeconds) {
        return new Session(Objects.requireNonNull(client, "client"), leaseId, ttlSeconds);
    }

    public EtcdClient client() {
        return client;
    }

    public long leaseId() {
        return leaseId;
    }

    /** The lease's TTL in seconds, as granted. */
    public long ttl() {
        return ttlSeconds;
    }

    /** Completes, with the reason, once the session has ended: the lease is no longer kept alive. */
    public CompletableFuture<End> done() {
        return done;
    }

    public boolean isAlive() {
        return !done.isDone();
    }

    /** Why renewing failed, when the session ended with {@link End#ERROR}. */
    public Optional<EtcdException> error() {
        return Optional.ofNullable(error);
    }

    /** Fails {@code wait} with {@link SessionExpiredException} if the session ends before it completes. */
    void failOnEnd(CompletableFuture<?> wait) {
        waiting.add(wait);
        wait.whenComplete((v, e) -> waiting.remove(wait));
        if (done.isDone()) {
            // Ended before we registered: the sweep above may have missed us.
            wait.completeExceptionally(new SessionExpiredException());
        }
    }

    /** Stops renewing without revoking: the lease, and the keys on it, live until the TTL runs out. */
    public void orphan() {
        keepAlive.close();
    }

    /** Stops renewing and revokes the lease, deleting every key on it; a lease already gone is no error. */
    public CompletableFuture<Void> closeAsync() {
        keepAlive.close();
        return client.lease().revoke(leaseId).handle((r, e) -> {
            Throwable cause = e;
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause == null || cause instanceof LeaseNotFoundException) {
                return null;
            }
            throw cause instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(cause);
        });
    }

    /** {@link #closeAsync()}, waiting for the revoke (bounded by the client's request timeout). */
    @Override
    public void close() {
        Futures.await(closeAsync());
    }

    @Override
    public String toString() {
        return "Session{lease=" + Long.toHexString(leaseId) + ", ttl=" + ttlSeconds + "s, alive=" + isAlive() + "}";
    }
}
