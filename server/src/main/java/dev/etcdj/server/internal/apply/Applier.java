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

/**
 * The single apply thread with group commit: it takes every queued mutation, applies them in
 * order (each sees the previous ones), writes one WriteBatch (fsynced when any mutation needs it),
 * publishes the new revision, notifies watchers and only then completes the callers' futures.
 */
public final class Applier implements AutoCloseable {
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
    private final Runnable afterGroup;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public Applier(Backend backend, MvccStore store, Consumer<List<MvccStore.RevisionEvents>> eventSink,
            Runnable afterGroup) {
        this.backend = backend;
        this.store = store;
        this.eventSink = eventSink;
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
                    store.abandonGroup();
                    for (Task<?> t : group) {
                        t.f().completeExceptionally(e);
                    }
                    continue;
                }
                List<MvccStore.RevisionEvents> events = store.publish();
                if (!events.isEmpty()) {
                    try {
                        eventSink.accept(events);
                    } catch (RuntimeException ignored) {
                        // a watcher bug must not stop the store
                    }
                }
                for (Runnable r : ctx.afterCommit) {
                    try {
                        r.run();
                    } catch (RuntimeException ignored) {
                        // best effort
                    }
                }
            }
            for (int i = 0; i < group.size(); i++) {
                complete(group.get(i), results.get(i));
            }
            try {
                afterGroup.run();
            } catch (RuntimeException ignored) {
                // best effort
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

    private record Failure(RuntimeException e) {
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> t, Object r) {
        if (r instanceof Failure fail) {
            t.f().completeExceptionally(fail.e());
        } else {
            t.f().complete((T) r);
        }
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
