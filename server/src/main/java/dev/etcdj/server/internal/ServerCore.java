package dev.etcdj.server.internal;

import dev.etcdj.proto.etcdserverpb.AlarmMember;
import dev.etcdj.proto.etcdserverpb.AlarmType;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.server.internal.apply.Applier;
import dev.etcdj.server.internal.lease.Lessor;
import dev.etcdj.server.internal.mvcc.KvOps;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.rpc.AuthHook;
import dev.etcdj.server.internal.storage.Backend;
import dev.etcdj.server.internal.watch.WatchHub;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Everything behind the RPC services: storage, MVCC, apply pipeline, leases, watches, alarms. */
public final class ServerCore implements AutoCloseable {
    public static final long RAFT_TERM = 2;
    public static final String VERSION = "3.4.23";

    private final ServerConfig config;
    private final Backend backend;
    private final MvccStore store;
    private final Applier applier;
    private final Lessor lessor;
    private final KvOps kv;
    private final WatchHub watchHub;
    private final long memberId;
    private final long clusterId;
    private final AtomicLong appliedIndex;
    private final Set<Integer> alarms = new ConcurrentSkipListSet<>();
    private volatile List<String> peerUrls;
    private volatile ExtraMember extraMember;
    private volatile AuthHook authHook = AuthHook.ALLOW_ALL;
    private final ScheduledExecutorService background;
    private final java.util.concurrent.ExecutorService compactor;
    private volatile long cachedQuotaSize;

    public ServerCore(ServerConfig config) {
        this.config = config;
        this.backend = config.dataDir() == null ? Backend.openTemporary() : Backend.open(config.dataDir());
        try {
            this.memberId = idMeta("memberId");
            this.clusterId = idMeta("clusterId");
            this.appliedIndex = new AtomicLong(backend.getMetaLong("appliedIndex", 1));
            byte[] peers = backend.get(Backend.metaKey("peerUrls"));
            this.peerUrls = peers == null ? config.peerUrls()
                    : List.of(new String(peers, java.nio.charset.StandardCharsets.UTF_8).split(","));
            byte[] extra = backend.get(Backend.metaKey("extraMember"));
            this.extraMember = extra == null ? null : ExtraMember.decode(extra);
            backend.scan(new byte[] {Backend.ALARM}, null, (k, v) -> {
                alarms.add((int) k[9]);
                return true;
            });
            this.store = new MvccStore(backend);
            this.watchHub = new WatchHub(store, this::header, config.maxRequestBytes(),
                    config.progressNotifyInterval().toMillis());
            this.applier = new Applier(backend, store, watchHub::notify, this::afterGroup);
            this.lessor = new Lessor(backend, store, applier, new Lessor.Proposer() {
                @Override
                public <T> CompletableFuture<T> propose(Applier.Mutation<T> m) {
                    return apply(m);
                }
            }, memberId, hooks -> new KvOps(store, hooks));
            this.kv = lessor.kv();
            this.compactor = Executors.newSingleThreadExecutor(r -> daemon(r, "etcdj-compactor"));
            this.background = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "etcdj-background"));
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private long idMeta(String name) {
        long v = backend.getMetaLong(name, 0);
        if (v == 0) {
            SecureRandom rnd = new SecureRandom();
            do {
                v = rnd.nextLong();
            } while (v == 0);
            try (org.rocksdb.WriteBatch b = new org.rocksdb.WriteBatch()) {
                b.put(Backend.metaKey(name), Backend.longBytes(v));
                backend.write(b, true);
            } catch (org.rocksdb.RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }
        return v;
    }

    public void start() {
        applier.start();
        lessor.start();
        cachedQuotaSize = backend.sizeInUse();
        long retention = config.autoCompactionRetention().toMillis();
        if (retention > 0) {
            startAutoCompaction(retention);
        }
    }

    /** Periodic mode like etcd's: every retention/10 (≥1 s...≤1 h), compact to the revision seen one retention ago. */
    private void startAutoCompaction(long retentionMillis) {
        long interval = Math.max(100, Math.min(retentionMillis, 3_600_000L) / 10);
        int slots = (int) Math.max(1, retentionMillis / interval);
        java.util.ArrayDeque<Long> seen = new java.util.ArrayDeque<>();
        background.scheduleWithFixedDelay(() -> {
            seen.addLast(store.currentRevision());
            if (seen.size() > slots) {
                long rev = seen.removeFirst();
                if (rev > store.compactRevision()) {
                    compact(rev, false).exceptionally(t -> null);
                }
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void afterGroup() {
        cachedQuotaSize = backend.sizeInUse();
    }

    /**
     * Flushes and compacts the whole store, then measures it again for the quota at once: a
     * defragment frees space outside the apply thread, and the next put must see that.
     */
    public void defragment() {
        backend.compactAll();
        cachedQuotaSize = backend.sizeInUse();
    }

    public ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId)
                .setRevision(revision).setRaftTerm(RAFT_TERM).build();
    }

    public ResponseHeader header() {
        return header(store.currentRevision());
    }

    /** Fills ids and term into a header that carries only the revision. */
    public ResponseHeader fill(ResponseHeader h) {
        return header(h.getRevision());
    }

    // ---------------------------------------------------------------- apply helpers

    /** Submits a mutation that counts as one applied raft entry. */
    public <T> CompletableFuture<T> apply(Applier.Mutation<T> m) {
        return applier.submit(ctx -> {
            T r = m.apply(ctx);
            long idx = appliedIndex.incrementAndGet();
            Backend.put(ctx.batch(), Backend.metaKey("appliedIndex"), Backend.longBytes(idx));
            return r;
        });
    }

    public CompletableFuture<Long> compact(long rev, boolean physical) {
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        CompletableFuture<Long> f = apply(ctx -> {
            if (alarms.contains(AlarmType.CORRUPT_VALUE)) {
                throw EtcdError.CORRUPT.exception();
            }
            List<long[]> dropped = store.compact(rev, ctx.batch());
            ctx.afterCommit(() -> compactor.execute(() -> {
                try {
                    store.deleteRevisions(dropped);
                    deleted.complete(null);
                } catch (RuntimeException e) {
                    deleted.completeExceptionally(e);
                }
            }));
            return store.lastAssignedRevision();
        });
        if (!physical) {
            return f;
        }
        return f.thenCompose(r -> deleted.thenApply(x -> r));
    }

    // ---------------------------------------------------------------- quota and alarms

    /** CORRUPT makes every write fail, like etcd's applierV3Corrupt. */
    public void checkCorrupt() {
        if (alarms.contains(AlarmType.CORRUPT_VALUE)) {
            throw EtcdError.CORRUPT.exception();
        }
    }

    /** Throws NOSPACE if the alarm is active or the request would exceed the quota (then raises it). */
    public void checkQuota(int cost) {
        if (alarms.contains(AlarmType.CORRUPT_VALUE)) {
            throw EtcdError.CORRUPT.exception();
        }
        if (alarms.contains(AlarmType.NOSPACE_VALUE)) {
            throw EtcdError.NO_SPACE.exception();
        }
        if (config.quotaBackendBytes() > 0 && cachedQuotaSize + cost > config.quotaBackendBytes()) {
            alarms.add(AlarmType.NOSPACE_VALUE); // effective at once for every later request
            alarm(true, AlarmType.NOSPACE); // and persisted
            throw EtcdError.NO_SPACE.exception();
        }
    }

    /** Activates or deactivates an alarm for this member; completes with whether it changed. */
    public CompletableFuture<Boolean> alarm(boolean activate, AlarmType type) {
        return apply(ctx -> {
            byte[] k = new byte[10];
            k[0] = Backend.ALARM;
            Backend.putLong(k, 1, memberId);
            k[9] = (byte) type.getNumber();
            boolean changed;
            if (activate) {
                changed = alarms.add(type.getNumber());
                Backend.put(ctx.batch(), k, new byte[] {1});
            } else {
                changed = alarms.remove(type.getNumber());
                Backend.delete(ctx.batch(), k);
            }
            return changed;
        });
    }

    public List<AlarmMember> alarms() {
        List<AlarmMember> out = new ArrayList<>();
        for (int a : alarms) {
            out.add(AlarmMember.newBuilder().setMemberID(memberId).setAlarmValue(a).build());
        }
        return out;
    }

    // ---------------------------------------------------------------- accessors

    public ServerConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public MvccStore store() {
        return store;
    }

    public KvOps kv() {
        return kv;
    }

    public Lessor lessor() {
        return lessor;
    }

    public WatchHub watchHub() {
        return watchHub;
    }

    public long memberId() {
        return memberId;
    }

    public long clusterId() {
        return clusterId;
    }

    public long appliedIndex() {
        return appliedIndex.get();
    }

    /** Writes waiting for the apply thread (etcd's pending proposals). */
    public int pendingProposals() {
        return applier.pending();
    }

    public List<String> peerUrls() {
        return peerUrls;
    }

    public CompletableFuture<Void> setPeerUrls(List<String> urls) {
        return apply(ctx -> {
            Backend.put(ctx.batch(), Backend.metaKey("peerUrls"),
                    String.join(",", urls).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            peerUrls = List.copyOf(urls);
            return null;
        });
    }

    /**
     * The one other member this single-node server can list: a learner added with MemberAdd that
     * never starts (a learner does not count for quorum, so etcd accepts it). {@code listedAsLearner}
     * is what MemberList reports: etcd 3.4.23's MemberUpdate replaces the member's raft attributes
     * with the request's, which clears IsLearner in the membership store while raft still treats the
     * node as a learner, and we reproduce that.
     */
    public record ExtraMember(long id, List<String> peerUrls, boolean listedAsLearner) {
        byte[] encode() {
            return (Long.toUnsignedString(id) + "|" + listedAsLearner + "|" + String.join(",", peerUrls))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        static ExtraMember decode(byte[] b) {
            String[] f = new String(b, java.nio.charset.StandardCharsets.UTF_8).split("\\|", 3);
            return new ExtraMember(Long.parseUnsignedLong(f[0]), List.of(f[2].split(",")), Boolean.parseBoolean(f[1]));
        }
    }

    /** The other (never started) member, or null. */
    public ExtraMember extraMember() {
        return extraMember;
    }

    /** Persists the other member (null removes it) through the apply thread, like a conf change. */
    public CompletableFuture<Void> setExtraMember(ExtraMember m) {
        return apply(ctx -> {
            if (m == null) {
                Backend.delete(ctx.batch(), Backend.metaKey("extraMember"));
            } else {
                Backend.put(ctx.batch(), Backend.metaKey("extraMember"), m.encode());
            }
            extraMember = m;
            return null;
        });
    }

    public AuthHook authHook() {
        return authHook;
    }

    public void setAuthHook(AuthHook hook) {
        this.authHook = hook == null ? AuthHook.ALLOW_ALL : hook;
    }

    @Override
    public void close() {
        background.shutdownNow();
        lessor.close();
        watchHub.close();
        try {
            if (!backend.isClosed()) {
                lessor.checkpoint().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // best effort: the last periodic checkpoint stays
        }
        applier.close();
        compactor.shutdown();
        try {
            compactor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backend.close();
    }
}
