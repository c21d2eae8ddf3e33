package dev.etcdj.server.internal.kv;

import dev.etcdj.server.internal.Alarms;
import dev.etcdj.server.internal.apply.Proposals;
import dev.etcdj.server.internal.mvcc.MvccStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one home of MVCC compaction: every compaction, asked for by a client or by an
 * auto-compaction policy, goes through {@link #compact}. It is proposed like any write (refused
 * under a CORRUPT alarm), compacts the key index on the apply thread (which also records the
 * compact revision, see {@link MvccStore#compact}), then deletes the dropped revisions from the
 * backend on this class's own thread. A "physical" compaction completes only after that deletion.
 *
 * <p>Auto-compaction policies live here too and only decide <em>which</em> revision to pass to
 * {@link #compact}. etcd's periodic mode ({@link #startPeriodic}) and revision mode
 * ({@link #startRevision}: keep the last N revisions), on the same {@link #background} scheduler.
 *
 * <p>Not here: {@code Backend.compactAll()}, which is Defragment (RocksDB's LSM compaction), not
 * MVCC history compaction.
 */
public final class Compactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final MvccStore store;
    private final Proposals proposals;
    private final Alarms alarms;
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(r -> daemon(r, "etcdj-compactor"));
    private final ScheduledExecutorService background =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "etcdj-auto-compactor"));

    public Compactor(MvccStore store, Proposals proposals, Alarms alarms) {
        this.store = store;
        this.proposals = proposals;
        this.alarms = alarms;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Compacts the history at {@code rev}: etcd's Compact. Fails with "required revision has been
     * compacted" for rev ≤ the compact revision, "is a future revision" beyond the current one.
     *
     * @param physical complete only once the dropped revisions are deleted from the backend
     * @return completes with the store revision at the time of the compaction (for the header)
     */
    public CompletableFuture<Long> compact(long rev, boolean physical) {
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        CompletableFuture<Long> f = proposals.propose(ctx -> {
            alarms.checkCorrupt();
            List<long[]> dropped = store.compact(rev, ctx.batch());
            ctx.afterCommit(() -> deleter.execute(() -> {
                long t0 = System.nanoTime();
                try {
                    store.deleteRevisions(dropped);
                    LOG.atInfo().addKeyValue("compact-revision", rev)
                            .addKeyValue("took", Duration.ofNanos(System.nanoTime() - t0))
                            .log("finished scheduled compaction");
                    deleted.complete(null);
                } catch (RuntimeException e) {
                    LOG.atWarn().addKeyValue("revision", rev).setCause(e)
                            .log("failed to delete compacted revisions from the backend");
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

    /**
     * etcd's periodic auto-compaction: every retention/10 (at least 100 ms, at most 6 min), compact
     * to the revision that was current one retention ago.
     */
    public void startPeriodic(Duration retention) {
        long retentionMillis = retention.toMillis();
        long interval = Math.max(100, Math.min(retentionMillis, 3_600_000L) / 10);
        int slots = (int) Math.max(1, retentionMillis / interval);
        ArrayDeque<Long> seen = new ArrayDeque<>();
        background.scheduleWithFixedDelay(() -> {
            seen.addLast(store.currentRevision());
            if (seen.size() > slots) {
                long rev = seen.removeFirst();
                if (rev > store.compactRevision()) {
                    autoCompact(rev, retention);
                }
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** etcd's revision mode checks every 5 minutes (v3compactor's revInterval). */
    public static final Duration REVISION_INTERVAL = Duration.ofMinutes(5);

    /**
     * etcd's revision auto-compaction: every {@code interval}, compact to the current revision minus
     * {@code retention}, unless that is not positive or was the last one compacted (a failed step is
     * retried at the next interval).
     */
    public void startRevision(long retention, Duration interval) {
        RevisionRetention policy = new RevisionRetention(retention);
        long ms = interval.toMillis();
        background.scheduleWithFixedDelay(() -> {
            long rev = policy.next(store.currentRevision());
            if (rev > 0) {
                LOG.atInfo().addKeyValue("revision", rev).addKeyValue("revision-compaction-retention", retention)
                        .log("starting auto revision compaction");
                compact(rev, false).whenComplete((r, t) -> {
                    if (t == null || String.valueOf(t.getMessage()).contains("compacted")) {
                        policy.done(rev);
                        LOG.atInfo().addKeyValue("revision", rev).addKeyValue("revision-compaction-retention", retention)
                                .log("completed auto revision compaction");
                    } else {
                        LOG.atWarn().addKeyValue("revision", rev).addKeyValue("revision-compaction-retention", retention)
                                .addKeyValue("retry-interval", interval).addKeyValue("error", String.valueOf(t.getMessage()))
                                .log("failed auto revision compaction");
                    }
                });
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One auto-compaction step, logged with etcd's messages; a failure is logged and left to the next step. */
    private void autoCompact(long rev, Duration period) {
        LOG.atInfo().addKeyValue("revision", rev).addKeyValue("compact-period", period)
                .log("starting auto periodic compaction");
        long t0 = System.nanoTime();
        compact(rev, false).whenComplete((r, t) -> {
            if (t != null) {
                LOG.atWarn().addKeyValue("revision", rev).addKeyValue("compact-period", period)
                        .addKeyValue("error", String.valueOf(t.getMessage())).log("failed auto periodic compaction");
            } else {
                LOG.atInfo().addKeyValue("revision", rev).addKeyValue("compact-period", period)
                        .addKeyValue("took", Duration.ofNanos(System.nanoTime() - t0))
                        .log("completed auto periodic compaction");
            }
        });
    }

    /** Stops the policies; deletions already queued finish (up to 30 s) before this returns. */
    @Override
    public void close() {
        background.shutdownNow();
        deleter.shutdown();
        try {
            if (!deleter.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.atWarn().log("compacted revisions still being deleted at close; the next start finishes them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
