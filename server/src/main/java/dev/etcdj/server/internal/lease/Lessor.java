package dev.etcdj.server.internal.lease;

import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.apply.Applier;
import dev.etcdj.server.internal.mvcc.ByteKey;
import dev.etcdj.server.internal.mvcc.KvOps;
import dev.etcdj.server.internal.mvcc.LeaseHooks;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.mvcc.WriteTxn;
import dev.etcdj.server.internal.storage.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases: grant/revoke/renew/expiry. State changes go through the apply pipeline; expiry is
 * detected by a timer thread that submits revokes to the same pipeline, so an expiry deletes the
 * attached keys in one revision, exactly like a revoke.
 *
 * <p>Persistence: each lease record holds the granted TTL and the remaining TTL at the last
 * checkpoint (grant, and every {@link #CHECKPOINT_MILLIS} while running, and on clean close).
 * After a restart a lease gets its checkpointed remaining TTL back (downtime is not counted),
 * similar to etcd with --experimental-enable-lease-checkpoint-persist; plain etcd instead resets
 * every lease to its full TTL on leader change/restart.
 */
public final class Lessor implements LeaseHooks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lessor.class);
    public static final long MIN_TTL = 2;
    public static final long MAX_TTL = 9_000_000_000L;
    static final long CHECKPOINT_MILLIS = 5_000;

    /** One lease. Keys are touched on the apply thread and read elsewhere: guarded by this. */
    public static final class Lease {
        final long id;
        final long ttl;
        volatile long expiryNanos;
        final Set<ByteKey> keys = new HashSet<>();
        volatile boolean revoking;

        Lease(long id, long ttl, long remainingMillis) {
            this.id = id;
            this.ttl = ttl;
            this.expiryNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(remainingMillis);
        }

        long remainingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(expiryNanos - System.nanoTime());
        }
    }

    /** Submits a state change that counts as one applied entry (ServerCore.apply). */
    public interface Proposer {
        <T> CompletableFuture<T> propose(Applier.Mutation<T> m);
    }

    /** Result of TimeToLive. */
    public record TimeToLive(long id, long ttl, long grantedTtl, List<byte[]> keys) {
    }

    private final Backend backend;
    private final MvccStore store;
    private final Applier applier;
    private final Proposer proposer;
    private final KvOps kv;
    private final ConcurrentHashMap<Long, Lease> leases = new ConcurrentHashMap<>();
    /**
     * Expiry candidates ordered by the deadline they had when queued. Renewals do not touch the
     * queue: a popped lease whose deadline moved is queued again, so each tick costs O(due · log n).
     */
    private final long origin = System.nanoTime();
    private final java.util.PriorityQueue<Due> dueQueue =
            new java.util.PriorityQueue<>((a, b) -> Long.compare(a.atNanos() - origin, b.atNanos() - origin));

    private record Due(long atNanos, Lease lease) {
    }

    private void schedule(Lease l) {
        synchronized (dueQueue) {
            dueQueue.add(new Due(l.expiryNanos, l));
        }
    }
    private final AtomicLong idGen;
    private final ScheduledExecutorService timer;

    public Lessor(Backend backend, MvccStore store, Applier applier, Proposer proposer, long memberId,
            java.util.function.Function<LeaseHooks, KvOps> kvFactory) {
        this.backend = backend;
        this.store = store;
        this.applier = applier;
        this.proposer = proposer;
        this.kv = kvFactory.apply(this);
        long millis = System.currentTimeMillis() & ((1L << 40) - 1);
        this.idGen = new AtomicLong(((memberId & 0xffff) << 48) | (millis << 8));
        restore();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcdj-lease");
            t.setDaemon(true);
            return t;
        });
    }

    public KvOps kv() {
        return kv;
    }

    private void restore() {
        backend.scan(new byte[] {Backend.LEASE}, null, (k, v) -> {
            long id = Backend.getLong(k, 1);
            long ttl = Backend.getLong(v, 0);
            long remaining = Backend.getLong(v, 8);
            Lease l = new Lease(id, ttl, Math.max(0, Math.min(remaining, ttl * 1000)));
            leases.put(id, l);
            schedule(l);
            return true;
        });
        for (Map.Entry<ByteKey, Long> e : store.restoredLeases().entrySet()) {
            Lease l = leases.get(e.getValue());
            if (l != null) {
                l.keys.add(e.getKey());
            }
        }
        store.restoredLeases().clear();
    }

    /** Leases currently held (granted and not yet revoked or expired). */
    public int leaseCount() {
        return leases.size();
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::expireDue, 100, 100, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_MILLIS, CHECKPOINT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static byte[] record(long ttl, long remainingMillis) {
        byte[] v = new byte[16];
        Backend.putLong(v, 0, ttl);
        Backend.putLong(v, 8, remainingMillis);
        return v;
    }

    // ---------------------------------------------------------------- LeaseHooks (apply thread)

    @Override
    public boolean exists(long leaseId) {
        return leases.containsKey(leaseId);
    }

    @Override
    public void attach(long leaseId, byte[] key) {
        attach(leaseId, key, true);
    }

    @Override
    public void detach(long leaseId, byte[] key) {
        attach(leaseId, key, false);
    }

    /** Adds {@code key} to the lease's keys (or removes it); nothing when the lease is gone. */
    private void attach(long leaseId, byte[] key, boolean attach) {
        Lease l = leases.get(leaseId);
        if (l != null) {
            synchronized (l) {
                if (attach) {
                    l.keys.add(ByteKey.wrap(key));
                } else {
                    l.keys.remove(ByteKey.wrap(key));
                }
            }
        }
    }

    // ---------------------------------------------------------------- operations

    /** Grants a lease; completes with {id, ttl, revision}. */
    public CompletableFuture<long[]> grant(long requestedId, long requestedTtl) {
        if (requestedTtl > MAX_TTL) {
            return CompletableFuture.failedFuture(EtcdException.of(WireError.LEASE_TTL_TOO_LARGE));
        }
        long ttl = Math.max(requestedTtl, MIN_TTL);
        return proposer.propose(ctx -> {
            long id = requestedId;
            if (id == 0) {
                do {
                    id = idGen.incrementAndGet() & Long.MAX_VALUE;
                } while (id == 0 || leases.containsKey(id));
            } else if (leases.containsKey(id)) {
                throw EtcdException.of(WireError.LEASE_EXISTS);
            }
            Lease l = new Lease(id, ttl, ttl * 1000);
            leases.put(id, l);
            schedule(l);
            Backend.put(ctx.batch(), Backend.leaseKey(id), record(ttl, ttl * 1000));
            return new long[] {id, ttl, store.lastAssignedRevision()};
        });
    }

    /** Revokes a lease and deletes its keys in one revision; completes with the header revision. */
    public CompletableFuture<Long> revoke(long id) {
        return proposer.propose(ctx -> {
            Lease l = leases.get(id);
            if (l == null) {
                throw EtcdException.of(WireError.LEASE_NOT_FOUND);
            }
            return doRevoke(ctx, l);
        });
    }

    private long doRevoke(Applier.Context ctx, Lease l) {
        List<byte[]> keys = new ArrayList<>();
        synchronized (l) {
            for (ByteKey k : l.keys) {
                keys.add(k.bytes());
            }
        }
        keys.sort(ByteKey::compare);
        WriteTxn txn = store.beginWrite(ctx.batch());
        kv.deleteKeys(txn, keys);
        txn.end();
        leases.remove(l.id);
        Backend.delete(ctx.batch(), Backend.leaseKey(l.id));
        return store.lastAssignedRevision();
    }

    /** Renews a lease; returns its granted TTL, or 0 if unknown or already expired. */
    public long renew(long id) {
        Lease l = leases.get(id);
        if (l == null || l.revoking || l.remainingMillis() <= 0) {
            return 0;
        }
        l.expiryNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(l.ttl);
        return l.ttl;
    }

    public TimeToLive timeToLive(long id, boolean withKeys) {
        Lease l = leases.get(id);
        if (l == null) {
            return new TimeToLive(id, -1, 0, List.of());
        }
        List<byte[]> keys = new ArrayList<>();
        if (withKeys) {
            synchronized (l) {
                for (ByteKey k : l.keys) {
                    keys.add(k.bytes());
                }
            }
            keys.sort(ByteKey::compare);
        }
        long remaining = Math.max(0, l.remainingMillis() / 1000);
        return new TimeToLive(id, remaining, l.ttl, keys);
    }

    /** The ids of the leases held, the soonest to expire first, as etcd's LeaseLeases lists them. */
    public List<Long> ids() {
        long now = System.nanoTime();
        List<Lease> held = new ArrayList<>(leases.values());
        held.sort(Comparator.comparingLong(l -> l.expiryNanos - now));
        List<Long> ids = new ArrayList<>(held.size());
        for (Lease l : held) {
            ids.add(l.id);
        }
        return ids;
    }

    private void expireDue() {
        long now = System.nanoTime();
        while (true) {
            Due d;
            synchronized (dueQueue) {
                d = dueQueue.peek();
                if (d == null || d.atNanos() - now > 0) {
                    return;
                }
                dueQueue.poll();
            }
            Lease l = d.lease();
            if (leases.get(l.id) != l || l.revoking) {
                continue; // revoked meanwhile
            }
            if (l.remainingMillis() > 0) {
                schedule(l); // renewed meanwhile
                continue;
            }
            l.revoking = true;
            proposer.propose(ctx -> {
                if (leases.get(l.id) != l) {
                    return 0L;
                }
                return doRevoke(ctx, l);
            }).whenComplete((r, err) -> {
                if (err != null && leases.get(l.id) == l) {
                    LOG.atWarn().addKeyValue("lease-id", Long.toHexString(l.id))
                            .addKeyValue("error", String.valueOf(err.getMessage()))
                            .log("failed to revoke an expired lease; retrying");
                    l.revoking = false; // e.g. stopping: retry later
                    schedule(l);
                }
            });
        }
    }

    /** Persists every lease's remaining TTL (not fsynced on its own; rides on the next synced write). */
    public CompletableFuture<Void> checkpoint() {
        return applier.submit(ctx -> {
            for (Lease l : leases.values()) {
                Backend.put(ctx.batch(), Backend.leaseKey(l.id), record(l.ttl, Math.max(0, l.remainingMillis())));
            }
            return null;
        }, false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
