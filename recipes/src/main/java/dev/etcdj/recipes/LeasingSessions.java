package dev.etcdj.recipes;

import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.EtcdClient;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sessions of one {@link LeasingKv}, one after another, as Go's leasing KV keeps them: when a
 * session ends (its lease expired or was revoked, or could not be renewed) its cache is dropped and
 * a new session of the same TTL is granted, with a new, empty cache; until it is, reads go to the
 * server. Each cache belongs to one session only, so a watch or an answer still in flight from an
 * ended session can never fill the next one's cache. {@link #close()} ends the last one for good.
 */
final class LeasingSessions implements AutoCloseable {

    private static final Logger LOG = System.getLogger(LeasingKv.class.getName());
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 5_000;

    /** A session and the cache of the keys leased on it; the cache closes when the session ends. */
    record Epoch(Session session, LeasingCache cache) {
        /** Whether reads may still be cached on this session. */
        boolean live() {
            return session.isAlive() && !cache.isClosed();
        }
    }

    private final EtcdClient client;
    private final long ttlSeconds;
    private volatile Epoch current;
    private volatile boolean closed;

    private LeasingSessions(EtcdClient client, long ttlSeconds, Session first) {
        this.client = client;
        this.ttlSeconds = ttlSeconds;
        this.current = new Epoch(first, new LeasingCache());
        follow(current);
    }

    /** Sessions of {@code ttlSeconds}; waits for the first one's grant (and fails as its grant fails). */
    static LeasingSessions start(EtcdClient client, long ttlSeconds) {
        return new LeasingSessions(client, ttlSeconds, Session.create(client, ttlSeconds));
    }

    /** The session in use and its cache (an ended one while the next is being granted). */
    Epoch current() {
        return current;
    }

    private void follow(Epoch epoch) {
        epoch.session().done().whenComplete((end, e) -> {
            epoch.cache().clear();
            if (!closed) {
                LOG.log(Level.DEBUG, () -> "leasing: " + epoch.session() + " ended (" + end + "); starting a new session");
                // The lease is gone already, unless renewing failed (ERROR) while the server still
                // keeps it: revoke it, so writers waiting on our old lease keys need not wait out its TTL.
                epoch.session().closeAsync().whenComplete((v, err) -> {
                    if (err != null) {
                        LOG.log(Level.DEBUG, "leasing: revoking the ended session's lease failed; it expires on its own", err);
                    }
                });
                renew(FIRST_RETRY_MILLIS);
            }
        });
    }

    private void renew(long retryMillis) {
        Session.createAsync(client, ttlSeconds).whenComplete((session, err) -> {
            if (err == null) {
                Epoch next = new Epoch(session, new LeasingCache());
                synchronized (this) {
                    if (!closed) {
                        current = next;
                        follow(next);
                        return;
                    }
                }
                session.closeAsync();   // closed while granting: a lease revoked is no error, nor one left to expire
                return;
            }
            Throwable cause = Waits.unwrap(err);
            if (closed || cause instanceof ClientClosedException) {
                LOG.log(Level.DEBUG, "leasing: no new session, the leasing KV or its client is closed");
                return;
            }
            LOG.log(Level.WARNING, "leasing: starting a new session failed; retrying in " + retryMillis + " ms", cause);
            CompletableFuture.delayedExecutor(retryMillis, TimeUnit.MILLISECONDS)
                    .execute(() -> renew(Math.min(retryMillis * 2, MAX_RETRY_MILLIS)));
        });
    }

    /** Ends the session in use (revoking its lease, so its lease keys go) and starts no other. */
    @Override
    public void close() {
        Epoch last;
        synchronized (this) {
            closed = true;
            last = current;
        }
        last.cache().clear();
        last.session().close();
    }
}
