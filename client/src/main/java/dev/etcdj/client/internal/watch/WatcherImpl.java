package dev.etcdj.client.internal.watch;

import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One watch: its place on its stream (guarded by the stream's lock) and its delivery queue
 * (guarded by {@code this}), drained on the callback executor one response at a time. The queue
 * is bounded only together with the other watchers' queues: when their total passes the client's
 * limit the streams stop reading (see {@link WatchClientImpl}).
 */
final class WatcherImpl implements Watcher {

    private static final System.Logger LOG = System.getLogger(WatcherImpl.class.getName());
    /** Responses one drain hands over before yielding the executor to other watchers. */
    private static final int BATCH = 64;

    private final WatchStream owner;
    private final WatchSpec spec;
    private final WatchListener listener;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletableFuture<Void> created = new CompletableFuture<>();
    /** The drain as a task, made once: it is handed to the executor for every burst of responses. */
    private final Runnable drainTask = this::drain;

    // ---- stream state, guarded by the owner's lock
    final RevisionTracker tracker;
    /** The spec without its start revision: watches of the same shape can share one server watch. */
    final WatchSpec shape;
    FragmentBuffer fragments;       // made on the first fragment
    long watchId = -1;              // the server's ID on the current stream; -1 while not created or riding
    boolean ended;                  // no longer wanted on the stream (closed or failed)
    // sharing (see WatchSharing)
    WatcherImpl head;               // the watch whose server watch this one rides on; null when on its own
    List<WatcherImpl> riders;       // the watches riding on this one's server watch; null or empty when none
    boolean isHead;                 // new watches of its shape join this one

    // ---- delivery, guarded by this
    private ArrayDeque<Item> queue;     // made on the first response: idle watchers stay small
    private boolean draining;
    private Consumer<WatchListener> terminal;
    private boolean terminalRun;
    private volatile long lastRevision;
    // ---- the confirmation deadline, written before the watch is sent
    private volatile boolean timedCreation;
    private volatile long confirmBy;
    private volatile Duration createTimeout;

    WatcherImpl(WatchStream owner, WatchSpec spec, WatchListener listener) {
        this.owner = owner;
        this.spec = spec;
        this.listener = listener;
        this.tracker = new RevisionTracker(spec.startRevision());
        this.shape = shapeOf(spec);
    }

    /** The spec without its start revision; the spec itself when it has none, so most watches make no copy. */
    static WatchSpec shapeOf(WatchSpec spec) {
        return spec.startRevision() == 0 ? spec : spec.withStartRevision(0);
    }

    record Item(WatchResponse response, int events, long bytes) {}

    @Override
    public WatchSpec spec() {
        return spec;
    }

    @Override
    public long lastRevision() {
        return lastRevision;
    }

    @Override
    public CompletableFuture<Void> created() {
        return created;
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Fails {@link #created()} with a timeout unless the server confirms the watch within {@code timeout}.
     * A confirmation that comes after the deadline counts as late even when the timer has not run yet,
     * as gRPC treats a unary answer: a busy timer thread must not turn a missed deadline into a success.
     */
    void timeCreation(ScheduledExecutorService timer, Duration timeout) {
        createTimeout = timeout;
        confirmBy = System.nanoTime() + timeout.toNanos();
        timedCreation = true;
        try {
            ScheduledFuture<?> t = timer.schedule(() -> created.completeExceptionally(late(timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            created.whenComplete((v, e) -> t.cancel(false));
        } catch (RejectedExecutionException closing) {
            // The client is closed: watch() ends this watcher at once, which fails created() too.
        }
    }

    private static EtcdTimeoutException late(Duration timeout) {
        return new EtcdTimeoutException(EtcdError.UNKNOWN,
                "etcdj: the server did not confirm the watch within " + timeout.toMillis() + " ms", null);
    }

    /** The server confirmed the watch (the first time, or again after a reconnect). */
    void confirmed() {
        if (timedCreation && !created.isDone() && System.nanoTime() - confirmBy > 0) {
            created.completeExceptionally(late(createTimeout));
        } else {
            created.complete(null);
        }
    }

    /** Ends the watch with {@code onClosed}, dropping what was not handed over yet. */
    void closed() {
        created.completeExceptionally(new EtcdException(EtcdException.Code.CANCELLED,
                "etcdj: the watch was closed before the server confirmed it"));
        terminate(WatchListener::onClosed, true);
    }

    /** Ends the watch with {@code onError}, after what was already queued. */
    void failed(EtcdException error) {
        created.completeExceptionally(error);
        terminate(l -> l.onError(error), false);
    }

    @Override
    public void close() {
        owner.closeWatcher(this);
    }

    /**
     * Queues a response; the owner has already counted it against the stream's limit. Returns true
     * when the watch was idle: the caller must then {@link #startDrain()}, now or at the end of its
     * burst of responses.
     */
    boolean offer(Item item) {
        Item dropped = null;
        boolean start;
        synchronized (this) {
            start = terminal == null;
            if (start) {
                if (queue == null) {
                    queue = new ArrayDeque<>();
                }
                queue.add(item);
                start = !draining;
                draining = true;
            } else {
                // Ended meanwhile: nobody will consume it.
                dropped = item;
            }
        }
        if (dropped != null) {
            owner.released(dropped.events(), dropped.bytes());   // outside the monitor: it may take the stream's lock
        }
        return start;
    }

    /** Hands the queued responses to the callback executor; once per {@link #offer} that returned true. */
    void startDrain() {
        schedule();
    }

    /**
     * Queues the terminal callback, once. With {@code discard} the responses not yet handed over
     * are dropped (the user closed the watch); otherwise they are delivered first.
     */
    private void terminate(Consumer<WatchListener> callback, boolean discard) {
        boolean start;
        Item[] dropped = null;
        synchronized (this) {
            if (terminal != null) {
                return;
            }
            terminal = callback;
            if (discard && queue != null) {
                dropped = queue.toArray(new Item[0]);
                queue.clear();
            }
            start = !draining;
            draining = true;
        }
        if (dropped != null) {
            for (Item i : dropped) {
                owner.released(i.events(), i.bytes());
            }
        }
        if (start) {
            schedule();
        }
    }

    private void schedule() {
        Executor executor = owner.callbackExecutor();
        try {
            executor.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // The client's threads are going away: still deliver, so the watch does not end silently.
            drain();
        }
    }

    private void drain() {
        for (int n = 0; n < BATCH; n++) {
            Item item;
            Consumer<WatchListener> end = null;
            synchronized (this) {
                item = queue == null ? null : queue.poll();
                if (item == null) {
                    if (terminal == null || terminalRun) {
                        draining = false;
                        return;
                    }
                    terminalRun = true;
                    end = terminal;
                }
            }
            if (end != null) {
                try {
                    end.accept(listener);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.WARNING, "watch listener threw", e);
                } finally {
                    terminated.complete(null);
                }
                continue;
            }
            WatchResponse r = item.response();
            lastRevision = r.events().isEmpty()
                    ? Math.max(lastRevision, r.header().revision())
                    : r.events().get(r.events().size() - 1).kv().modRevision();
            try {
                listener.onNext(r);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "watch listener threw", e);
            } finally {
                owner.released(item.events(), item.bytes());
            }
        }
        schedule();     // more to do: yield to other watchers sharing the executor
    }

    @Override
    public String toString() {
        return "Watcher{" + spec.key() + (spec.rangeEnd().isEmpty() ? "" : ".." + spec.rangeEnd()) + "}";
    }
}
