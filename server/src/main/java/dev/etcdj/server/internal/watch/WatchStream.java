package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client watch stream: its watchers and a bounded outbound queue, drained by the hub's sender
 * thread (never by the apply thread) and only while gRPC says the transport is ready, so a slow
 * client never blocks anyone else.
 *
 * <p>Event responses are queued as {@link Batch}es, rendered into protobuf only when sent. While the
 * stream is backed up (the transport is not ready, or {@value #CONGESTED} responses wait), a
 * watcher's next revisions join its response still waiting in the queue instead of queueing one
 * more: like etcd, which under backlog moves slow watchers to its victim path and sends them
 * several revisions at once, the client then gets fewer, larger responses and catches up. A
 * stream that keeps up still gets one response per revision. Control responses (created,
 * canceled, progress) are always queued and seal the waiting batches, so nothing sent after a
 * control response overtakes it.
 *
 * <p>Event responses are refused when {@value #MAX_PENDING_EVENTS} events or
 * {@value #MAX_PENDING_BYTES} bytes wait (the watcher then falls back to catching up from storage).
 */
final class WatchStream {
    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
    static final int MAX_PENDING_EVENTS = 16_384;
    static final long MAX_PENDING_BYTES = 1L << 20;
    /** Waiting responses from which on new revisions join a watcher's waiting response (etcd: 128). */
    static final int CONGESTED = 128;
    /** A joined response stops growing here (a single revision is never split). */
    static final int MAX_BATCH_REVS = WatchHub.MAX_REVS_PER_RESPONSE;
    static final long MAX_BATCH_BYTES = 256 << 10;
    /** Responses one drain sends before it yields the sender thread to other streams. */
    private static final int DRAIN_QUANTUM = 256;

    /** Events of one watcher waiting to be sent as one response. Guarded by the stream. */
    static final class Batch {
        final Watcher watcher;
        final long epoch;
        List<Event> events;
        long headerRev;
        int revs;
        long bytes;
        boolean taken;
        private boolean shared; // events is the caller's list: copy before appending

        Batch(Watcher watcher, long epoch, List<Event> events, int revs, long headerRev, long bytes) {
            this.watcher = watcher;
            this.epoch = epoch;
            this.events = events;
            this.revs = revs;
            this.headerRev = headerRev;
            this.bytes = bytes;
            this.shared = true;
        }

        void append(List<Event> more, int moreRevs, long rev, long moreBytes) {
            if (shared) {
                events = new ArrayList<>(events);
                shared = false;
            }
            events.addAll(more);
            revs += moreRevs;
            headerRev = Math.max(headerRev, rev);
            bytes += moreBytes;
        }
    }

    private final ServerCallStreamObserver<WatchResponse> out;
    private final Runnable onRoom;
    private final Executor sender;
    private final Function<Batch, List<WatchResponse>> render;
    /** Batches and control responses, in send order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** Serializes calls on out between the sender and fail(). */
    private final Object sendLock = new Object();
    private int pendingEvents;
    private long pendingBytes;
    /** Bumped by each control response: batches queued before it no longer take new revisions. */
    private long epoch;
    /** The last drain stopped because the transport was not ready. */
    private boolean blocked;
    private boolean draining;
    private volatile boolean closed;

    /** Guarded by the hub lock. */
    final Map<Long, Watcher> watchers = new HashMap<>();
    long nextAutoId;
    /** Guarded by the hub lock: touched in the current live delivery, to be scheduled once. */
    boolean touched;

    WatchStream(ServerCallStreamObserver<WatchResponse> out, Runnable onRoom, Executor sender,
            Function<Batch, List<WatchResponse>> render) {
        this.out = out;
        this.onRoom = onRoom;
        this.sender = sender;
        this.render = render;
    }

    /**
     * Queues events of w (revs revisions, the last one lastRev) for sending; they join w's waiting
     * response when joinable and the stream is backed up. False if the stream is full. Does not
     * start sending: call {@link #schedule()}.
     */
    boolean offer(Watcher w, List<Event> events, int revs, long headerRev, long bytes, boolean joinable) {
        synchronized (this) {
            if (closed || w.canceled) {
                return true; // dropped: the stream or the watcher is gone (its canceled response is queued)
            }
            if (pendingEvents >= MAX_PENDING_EVENTS || pendingBytes >= MAX_PENDING_BYTES) {
                return false;
            }
            Batch b = w.openBatch;
            if (joinable && b != null && !b.taken && b.epoch == epoch && (blocked || queue.size() >= CONGESTED)
                    && b.revs + revs <= MAX_BATCH_REVS && b.bytes < MAX_BATCH_BYTES) {
                b.append(events, revs, headerRev, bytes);
            } else {
                b = new Batch(w, epoch, events, revs, headerRev, bytes);
                queue.add(b);
                w.openBatch = b;
            }
            pendingEvents += events.size();
            pendingBytes += bytes;
            return true;
        }
    }

    boolean hasRoom() {
        synchronized (this) {
            return closed || (pendingEvents < MAX_PENDING_EVENTS && pendingBytes < MAX_PENDING_BYTES);
        }
    }

    void sendControl(WatchResponse r) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(r);
            epoch++;
        }
        schedule();
    }

    /** Makes sure a drain runs on the sender thread (also the transport's on-ready handler). */
    void schedule() {
        synchronized (this) {
            if (closed || draining || queue.isEmpty()) {
                return;
            }
            draining = true;
        }
        submit();
    }

    private void submit() {
        try {
            sender.execute(this::drain);
        } catch (RejectedExecutionException stopped) {
            // the hub is closing: every stream is failed with "server stopped" right after
            LOG.atDebug().log("watch sender stopped; response left unsent at shutdown");
            synchronized (this) {
                draining = false;
            }
        }
    }

    /** Runs on the sender thread, one drain per stream at a time. */
    private void drain() {
        boolean freed = false;
        boolean yielded = false;
        for (int sent = 0; ; sent++) {
            Object item;
            synchronized (this) {
                if (closed || queue.isEmpty() || !out.isReady()) {
                    // an on-ready or a new offer after this point finds draining false and reschedules
                    blocked = !closed && !queue.isEmpty();
                    draining = false;
                    break;
                }
                if (sent == DRAIN_QUANTUM) {
                    yielded = true; // still draining: let other streams' drains run, then go on
                    break;
                }
                blocked = false;
                item = queue.poll();
                if (item instanceof Batch b) {
                    b.taken = true;
                    if (b.watcher.openBatch == b) {
                        b.watcher.openBatch = null;
                    }
                    pendingEvents -= b.events.size();
                    pendingBytes -= b.bytes;
                    freed = true;
                }
            }
            if (item instanceof Batch b) {
                for (WatchResponse r : render.apply(b)) {
                    send(r);
                }
            } else {
                send((WatchResponse) item);
            }
        }
        if (yielded) {
            submit();
        }
        if (freed) {
            onRoom.run();
        }
    }

    private void send(WatchResponse r) {
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            try {
                out.onNext(r);
            } catch (RuntimeException e) {
                // the client went away: its watchers are dropped when the call's cancel handler runs
                LOG.atDebug().setCause(e).log("watch stream closed while sending");
                close();
            }
        }
    }

    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Completes the gRPC stream with an error (server shutdown). */
    void fail(Throwable t) {
        synchronized (sendLock) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                queue.clear();
            }
            try {
                out.onError(t);
            } catch (RuntimeException e) {
                // the call was already closed: nobody is left to tell
                LOG.atDebug().setCause(e).log("watch stream already closed when failing it");
            }
        }
    }
}
