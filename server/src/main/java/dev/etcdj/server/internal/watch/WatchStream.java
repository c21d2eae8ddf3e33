package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.etcdserverpb.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One client watch stream: its watchers and a bounded outbound queue. Event responses are refused
 * when the queue is full (the watcher then falls back to catching up from storage); control
 * responses (created, canceled, progress) are always queued. Sending only happens while gRPC says
 * the transport is ready, so a slow client never blocks anyone else.
 */
final class WatchStream {
    static final int CAPACITY = 512;

    private final ServerCallStreamObserver<WatchResponse> out;
    private final Runnable onRoom;
    private final ArrayDeque<WatchResponse> queue = new ArrayDeque<>();
    private int eventResponses;
    private boolean closed;
    private boolean draining;

    /** Guarded by the hub lock. */
    final Map<Long, Watcher> watchers = new HashMap<>();
    long nextAutoId;

    WatchStream(ServerCallStreamObserver<WatchResponse> out, Runnable onRoom) {
        this.out = out;
        this.onRoom = onRoom;
    }

    /** Queues an event response; false if the buffer is full. */
    boolean offerEvents(java.util.List<WatchResponse> rs) {
        synchronized (this) {
            if (closed) {
                return true; // dropped, stream is gone
            }
            if (eventResponses >= CAPACITY) {
                return false;
            }
            eventResponses += rs.size();
            queue.addAll(rs);
        }
        drain();
        return true;
    }

    boolean hasRoom() {
        synchronized (this) {
            return closed || eventResponses < CAPACITY;
        }
    }

    void sendControl(WatchResponse r) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(r);
        }
        drain();
    }

    void drain() {
        boolean freed = false;
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
            try {
                while (!closed && !queue.isEmpty() && out.isReady()) {
                    WatchResponse r = queue.poll();
                    if (!r.getEventsList().isEmpty() && eventResponses > 0) {
                        eventResponses--;
                        freed = true;
                    }
                    try {
                        out.onNext(r);
                    } catch (RuntimeException e) {
                        closed = true;
                        queue.clear();
                    }
                }
            } finally {
                draining = false;
            }
        }
        if (freed) {
            onRoom.run();
        }
    }

    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    boolean isClosed() {
        synchronized (this) {
            return closed;
        }
    }

    /** Completes the gRPC stream with an error (server shutdown). */
    void fail(Throwable t) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            try {
                out.onError(t);
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
    }
}
