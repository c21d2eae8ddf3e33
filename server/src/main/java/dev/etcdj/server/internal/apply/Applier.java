package dev.etcdj.server.internal.apply;

import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.storage.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single apply thread with group commit: it takes every queued mutation, applies them in
 * order (each sees the previous ones), writes one WriteBatch (fsynced when any mutation needs it),
 * publishes the new revision, notifies watchers and only then completes the callers' futures.
 */
public final class Applier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

    /** A state change run on the apply thread. Must validate before mutating. */
    @FunctionalInterface
    public interface Mutation<T> {
        T apply(Context ctx);
    }

    /** What a mutation may use while it runs. */
    public static final class Context {
        private final WriteBatch batch;
        private boolean sync;
        private final List<Runnable> afterCommit = new ArrayList<>();

        Context(WriteBatch batch) {
            this.batch = batch;
        }

        public WriteBatch batch() {
            return batch;
        }

        /** Marks the group as needing an fsync (every mutation submitted with sync=true). */
        void requireSync() {
            sync = true;
        }

        /** Runs after the group is durable and published, before futures complete. */
        public void afterCommit(Runnable r) {
            afterCommit.add(r);
        }
    }

    private record Task<T>(Mutation<T> m, CompletableFuture<T> f, boolean sync) {
    }

    private static final Task<Void> POISON = new Task<>(c -> null, new CompletableFuture<>(), false);
    private static final int MAX_GROUP = 2048;

    private final Backend backend;
    private final MvccStore store;
    private final Consumer<List<MvccStore.RevisionEvents>> eventSink;
    private final Consumer<RuntimeException> eventSinkFailed;
    private final Runnable afterGroup;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    /** Set when a group could not be committed: from then on every mutation is refused. */
    private volatile StorageFailedException failed;

    /**
     * @param eventSink       gets each committed group's events, in order (the watch hub)
     * @param eventSinkFailed told when {@code eventSink} threw: some watchers may have missed
     *                        events, and must be cancelled rather than left silently behind
     * @param afterGroup      runs after every group, once callers are answered
     */
    public Applier(Backend backend, MvccStore store, Consumer<List<MvccStore.RevisionEvents>> eventSink,
            Consumer<RuntimeException> eventSinkFailed, Runnable afterGroup) {
        this.backend = backend;
        this.store = store;
        this.eventSink = eventSink;
        this.eventSinkFailed = eventSinkFailed;
        this.afterGroup = afterGroup;
        this.thread = new Thread(this::run, "etcdj-apply");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public <T> CompletableFuture<T> submit(Mutation<T> m) {
        return submit(m, true);
    }

    /** sync=false: durable at the next synced group (used for lease renewals/checkpoints). */
    public <T> CompletableFuture<T> submit(Mutation<T> m, boolean sync) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(EtcdException.of(WireError.STOPPED));
            return f;
        }
        StorageFailedException failure = failed;
        if (failure != null) {
            f.completeExceptionally(failure);
            return f;
        }
        queue.add(new Task<>(m, f, sync));
        return f;
    }

    public boolean onApplyThread() {
        return Thread.currentThread() == thread;
    }

    private void run() {
        List<Task<?>> group = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        while (true) {
            group.clear();
            results.clear();
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            if (failed != null && refuseAll(group)) {
                break;
            }
            boolean stop = false;
            try (WriteBatch batch = new WriteBatch()) {
                Context ctx = new Context(batch);
                for (Task<?> t : group) {
                    if (t == POISON) {
                        stop = true;
                        results.add(null);
                        continue;
                    }
                    try {
                        results.add(t.m().apply(ctx));
                        if (t.sync()) {
                            ctx.requireSync();
                        }
                    } catch (RuntimeException e) {
                        results.add(new Failure(e));
                    }
                }
                try {
                    if (batch.count() > 0) {
                        backend.write(batch, ctx.sync);
                    }
                } catch (RuntimeException e) {
                    // The group's mutations already changed in-memory state (leases, auth,
                    // compaction, alarms) that is now ahead of the disk. Going on would let later
                    // writes build on changes that are not durable: refuse every write from now on
                    // (reads stay served from what is durable and published) until a restart
                    // rebuilds the state from disk. etcd exits in this case.
                    StorageFailedException failure = new StorageFailedException(e);
                    failed = failure;
                    LOG.atError().addKeyValue("entries", group.size()).setCause(e)
                            .log("failed to commit a group of writes to the backend; refusing all writes until restart");
                    store.abandonGroup();
                    for (Task<?> t : group) {
                        t.f().completeExceptionally(failure);
                    }
                    if (stop) {
                        break;
                    }
                    continue;
                }
                List<MvccStore.RevisionEvents> events = store.publish();
                if (!events.isEmpty()) {
                    notifyWatchers(events);
                }
                for (Runnable r : ctx.afterCommit) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        // the write is committed and stays so; only this follow-up work is lost
                        LOG.atError().setCause(e).log("after-commit hook failed");
                    }
                }
            }
            for (int i = 0; i < group.size(); i++) {
                complete(group.get(i), results.get(i));
            }
            try {
                afterGroup.run();
            } catch (RuntimeException e) {
                LOG.atWarn().setCause(e).log("after-group hook failed");
            }
            if (stop) {
                break;
            }
        }
        Task<?> t;
        while ((t = queue.poll()) != null) {
            t.f().completeExceptionally(EtcdException.of(WireError.STOPPED));
        }
    }

    /**
     * Hands the events to the watch hub. A failure there must not stop the store, nor leave
     * watchers silently without events: it is logged and reported, so that they are cancelled.
     */
    private void notifyWatchers(List<MvccStore.RevisionEvents> events) {
        try {
            eventSink.accept(events);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("revision", events.get(events.size() - 1).revision()).setCause(e)
                    .log("failed to deliver events to watchers; cancelling them");
            try {
                eventSinkFailed.accept(e);
            } catch (RuntimeException again) {
                LOG.atError().setCause(again).log("failed to cancel watchers after a lost event delivery");
            }
        }
    }

    private record Failure(RuntimeException e) {
    }

    /** Refuses a group after a failed commit; true if it held the stop marker. */
    private boolean refuseAll(List<Task<?>> group) {
        boolean stop = false;
        for (Task<?> t : group) {
            stop |= t == POISON;
            t.f().completeExceptionally(failed);
        }
        return stop;
    }

    /** The commit failure that made this applier refuse writes, or null while it accepts them. */
    public StorageFailedException failure() {
        return failed;
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> t, Object r) {
        if (r instanceof Failure fail) {
            t.f().completeExceptionally(fail.e());
        } else {
            t.f().complete((T) r);
        }
    }

    /** Mutations submitted and not yet taken by the apply thread. */
    public int pending() {
        return queue.size();
    }

    /** Stops after applying everything already queued. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(POISON);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
