package dev.etcdj.recipes;

import static dev.etcdj.client.Options.ignoreLease;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.range;
import static dev.etcdj.client.Options.revision;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A KV whose reads are answered from a local cache, kept coherent with a lease per key, as Go's
 * {@code clientv3/leasing}: to cache {@code k} the client puts the lease key {@code <prefix>k} on
 * its session's lease (only while nobody else holds it); a leasing client that writes {@code k}
 * first puts {@code REVOKE} on that lease key and waits for the holder to drop its cache entry and
 * delete the lease key; writes are guarded so none lands while another client holds a lease on a
 * key it touches. Java and Go leasing clients on the same prefix share the protocol, so they keep
 * each other's caches right.
 *
 * <p>Cached, as in Go: linearizable gets of one key at the current revision, of keys without a lease
 * of their own, with any other option (keys or count only, revision filters, limit, sort: the cache
 * answers as the server would). A serializable get is answered from the cache when its key is cached,
 * else by the server, and takes no lease. Ranges and historical reads go to the server. Put, delete
 * and txn work with any option; a txn is committed at the server (its compares see the server's
 * state), nested in a guard on the lease keys of every key it may write. Unlike Go, a read-only txn
 * of cached keys is not answered locally, a write of our own drops the cached entry instead of
 * updating it (the next get leases it again in one request), and a key whose lease a writer took
 * may be leased again at once (Go waits 2 s). Only writes made
 * through leasing clients invalidate caches: a plain client writing a leased key is not seen, as
 * in Go. When the session ends (its lease expired or was revoked, or could not be renewed), the
 * cache is dropped and reads go to the server until a new session of the same TTL is granted; then
 * caching resumes on it, as in Go. {@link #close()} ends the session for good.
 * <pre>{@code
 * try (LeasingKv kv = LeasingKv.create(client, "leasing/", 60)) {
 *     kv.get("config").join();   // from the server, then cached
 *     kv.get("config").join();   // from the cache: no request
 * }
 * }</pre>
 */
public final class LeasingKv extends Wrapper<KvClient> implements KvClient, AutoCloseable {

    static final Bytes REVOKE = Bytes.of("REVOKE");

    private final EtcdClient client;
    private final Bytes prefix;
    private final LeasingSessions sessions;

    private LeasingKv(EtcdClient client, KvClient kv, Bytes prefix, LeasingSessions sessions) {
        // A view with other call settings is still the same leasing client: same sessions and caches.
        super(kv, view -> new LeasingKv(client, view, prefix, sessions));
        this.client = client;
        this.prefix = prefix;
        this.sessions = sessions;
    }

    /**
     * A leasing KV whose lease keys live under {@code prefix}, on a new session of {@code ttlSeconds}
     * (and on a new one of the same TTL whenever one ends); waits for the first session's grant.
     */
    public static LeasingKv create(EtcdClient client, String prefix, long ttlSeconds) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(prefix, "prefix");
        return new LeasingKv(client, client.kv(), Bytes.of(prefix), LeasingSessions.start(client, ttlSeconds));
    }

    /**
     * The session whose lease holds this client's lease keys now. After it ends, a new one takes its
     * place once granted; until then this is the ended one.
     */
    public Session session() {
        return sessions.current().session();
    }

    private Bytes leaseKey(Bytes key) {
        return prefix.concat(key);
    }

    @Override
    public CompletableFuture<OpResponse> execute(Op op) {
        if (op instanceof Op.Get g) {
            if (g.rangeEnd().isEmpty() && g.revision() == 0) {
                if (!g.serializable()) {
                    return get(g.key()).thenApply(r -> LeasingCache.answer(r, g));
                }
                GetResponse cached = cached(g);
                if (cached != null) {
                    return CompletableFuture.completedFuture(cached);
                }
            }
            return inner.execute(g);
        }
        if (op instanceof Op.Txn t) {
            return commit(t).thenApply(r -> r);
        }
        return write(op).thenApply(r -> r.responses().get(0));
    }

    @Override
    public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
        return write(txn).thenApply(r -> {
            TxnResponse t = r.txnResponse(0);
            return new TxnResponse(r.header(), t.succeeded(), t.responses());
        });
    }

    @Override
    public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
        return inner.compact(revision, physical);
    }


    /** Ends the session for good (deleting this client's lease keys) and drops the cache. */
    @Override
    public void close() {
        sessions.close();
    }

    // ---- reads

    /** A serializable get of one key, answered from the cache when the key is cached, else null. */
    private GetResponse cached(Op.Get g) {
        LeasingSessions.Epoch epoch = sessions.current();
        LeasingCache.Entry e = epoch.live() ? epoch.cache().get(g.key()) : null;
        return e == null ? null : LeasingCache.answer(e.response(), g);
    }

    private CompletableFuture<GetResponse> get(Bytes key) {
        // Everything below works on this one session and its cache, even if the session ends meanwhile.
        LeasingSessions.Epoch epoch = sessions.current();
        LeasingCache cache = epoch.cache();
        if (!epoch.live()) {
            return inner.get(key);     // checked first: the cache of an ended session may not be cleared yet
        }
        LeasingCache.Entry e = cache.get(key);
        if (e != null) {
            return CompletableFuture.completedFuture(e.response());
        }
        long myLease = epoch.session().leaseId();
        Bytes lk = leaseKey(key);
        LeasingCache.Stamp stamp = cache.snapshot(key);
        return inner.txn()
                .when(Cmp.createRevision(lk).equalTo(0), Cmp.lease(key).equalTo(0))
                .then(Op.get(key), Op.put(lk, Bytes.EMPTY, lease(myLease)))
                .orElse(Op.get(key), Op.get(lk))
                .commit()
                .thenApply(r -> {
                    GetResponse got = r.getResponse(0);
                    GetResponse answer = new GetResponse(r.header(), got.kvs(), got.more(), got.count());
                    long leaseRevision;
                    if (r.succeeded()) {
                        leaseRevision = r.header().revision();
                    } else {
                        List<KeyValue> mine = r.getResponse(1).kvs();
                        if (mine.isEmpty() || mine.get(0).lease() != myLease) {
                            return answer;     // someone else holds it, or the key has a lease: not cached
                        }
                        leaseRevision = mine.get(0).createRevision();
                    }
                    if (cache.putIfUnchanged(key, new LeasingCache.Entry(answer, leaseRevision), stamp)) {
                        cache.monitor(key, () -> monitor(epoch, key, r.header().revision() + 1));
                    }
                    return answer;
                })
                .exceptionallyCompose(err -> {
                    if (Waits.unwrap(err) instanceof LeaseNotFoundException) {
                        // Our session's lease is gone before its keep-alive noticed: the session is over;
                        // ending it now starts the next one.
                        cache.clear();
                        epoch.session().orphan();
                        return inner.get(key);
                    }
                    return CompletableFuture.failedFuture(Waits.unwrap(err));
                });
    }

    /**
     * Follows our lease key: a REVOKE put on it (by a writer) makes us drop the entry and delete
     * the lease key; its deletion (our session ended, or we gave it up) drops the entry.
     */
    private Watcher monitor(LeasingSessions.Epoch epoch, Bytes key, long fromRevision) {
        LeasingCache cache = epoch.cache();
        Bytes lk = leaseKey(key);
        return client.watch().watch(lk, new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                for (WatchEvent ev : response.events()) {
                    if (ev.type() == WatchEvent.Type.DELETE) {
                        cache.evict(key);
                        return;
                    }
                    if (ev.kv().value().equals(REVOKE)) {
                        cache.evict(key);
                        rescind(epoch.session(), lk, ev.kv().modRevision());
                        return;
                    }
                }
            }

            @Override
            public void onError(EtcdException error) {
                cache.evict(key);
            }

            @Override
            public void onClosed() {
                cache.evict(key);
            }
        }, revision(fromRevision));
    }

    /** Gives our lease key up to the writer that asked (unless it was re-created since). */
    private void rescind(Session session, Bytes lk, long revokeRevision) {
        inner.txn().when(Cmp.createRevision(lk).less(revokeRevision)).then(Op.delete(lk)).commit()
                .whenComplete((r, e) -> {
                    if (e != null && session.isAlive()) {
                        // Not lost: the writer keeps waiting, and the lease key goes with our session.
                        System.getLogger(LeasingKv.class.getName()).log(System.Logger.Level.WARNING,
                                "leasing: giving up " + lk + " failed; retrying", e);
                        rescind(session, lk, revokeRevision);
                    }
                });
    }

    // ---- writes

    /** The [key, end) ranges an op may write; a txn's in both branches. */
    private static void written(Op op, List<Bytes[]> out) {
        if (op instanceof Op.Put p) {
            out.add(new Bytes[] {p.key(), Bytes.EMPTY});
        } else if (op instanceof Op.Delete d) {
            out.add(new Bytes[] {d.key(), d.rangeEnd()});
        } else if (op instanceof Op.Txn t) {
            t.success().forEach(o -> written(o, out));
            t.failure().forEach(o -> written(o, out));
        }
    }

    /**
     * Runs a write as the single op of a guarded txn: every other client's lease on a key it may
     * write is revoked first, and the txn holds only while no lease key in those ranges is newer
     * than the ones we saw; if one is (a reader took a lease meanwhile), it starts over.
     */
    private CompletableFuture<TxnResponse> write(Op op) {
        List<Bytes[]> ranges = new ArrayList<>();
        written(op, ranges);
        return revokeOthers(ranges, 0, 0).thenCompose(maxLeaseRevision -> {
            List<Cmp> guards = new ArrayList<>();
            for (Bytes[] r : ranges) {
                Cmp c = Cmp.createRevision(leaseKey(r[0])).less(maxLeaseRevision + 1);
                guards.add(r[1].isEmpty() ? c : c.withRange(leaseEnd(r[1])));
            }
            marks(ranges);
            return inner.commit(Op.txn().when(guards.toArray(Cmp[]::new)).then(op)).whenComplete((r, e) -> marks(ranges))
                    .thenCompose(r -> r.succeeded() ? CompletableFuture.completedFuture(r) : write(op));
        });
    }

    private Bytes leaseEnd(Bytes end) {
        return end.equals(Bytes.ZERO) ? prefix.prefixEnd() : prefix.concat(end);
    }

    /**
     * A write of these ranges begins or ends. Always marked on the cache in use at the time: the
     * mark at the end must reach whatever session's cache may have taken an answer meanwhile.
     */
    private void marks(List<Bytes[]> ranges) {
        LeasingCache cache = sessions.current().cache();
        for (Bytes[] r : ranges) {
            if (r[1].isEmpty()) {
                cache.written(r[0]);
            } else {
                cache.writtenRange(r[0], r[1]);
            }
        }
    }

    /** Revokes the leases of other clients in ranges[i..]; completes with the newest lease key's create revision. */
    private CompletableFuture<Long> revokeOthers(List<Bytes[]> ranges, int i, long max) {
        if (i == ranges.size()) {
            return CompletableFuture.completedFuture(max);
        }
        Bytes[] r = ranges.get(i);
        CompletableFuture<GetResponse> leases = r[1].isEmpty()
                ? inner.get(leaseKey(r[0]))
                : inner.get(leaseKey(r[0]), range(leaseEnd(r[1])));
        Session session = sessions.current().session();
        return leases.thenCompose(g -> {
            long m = max;
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (KeyValue lease : g.kvs()) {
                m = Math.max(m, lease.createRevision());
                if (!session.isAlive() || lease.lease() != session.leaseId()) {
                    all = all.thenCompose(v -> revoke(lease));
                }
            }
            long newest = m;
            return all.thenCompose(v -> revokeOthers(ranges, i + 1, newest));
        });
    }

    /** Asks the holder of a lease key to give it up, and waits until it is gone. */
    private CompletableFuture<Void> revoke(KeyValue leaseKv) {
        Bytes lk = leaseKv.key();
        return inner.txn()
                .when(Cmp.createRevision(lk).equalTo(leaseKv.createRevision()))
                .then(Op.put(lk, REVOKE, ignoreLease()))
                .commit()
                .thenCompose(r -> r.succeeded()
                        ? Waits.waitDelete(client, lk, r.header().revision(), new CompletableFuture<>())
                        : CompletableFuture.completedFuture(null));    // already given up (or re-taken: the guard sees it)
    }
}
