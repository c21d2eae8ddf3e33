package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchClient;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import dev.etcdj.client.internal.TerminalCallbacks;
import dev.etcdj.client.internal.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's Watch service: the client's watches spread over a few bidirectional Watch streams (see
 * {@link WatchStream} for what one stream does), on the same connection.
 *
 * <h2>Why more than one stream</h2>
 * etcd gives each Watch stream one buffer of 128 responses shared by all its watches. A put that
 * matches W watches of a stream takes W places in it; once a burst of puts fills it faster than
 * the stream sends, etcd takes the watches that found it full off the live path: it retries them
 * every 10 ms and, once they are behind, replays their events from its store every 100 ms. With
 * 100 watches of one prefix on one stream and 4 writers, events arrived ~50 ms after their put
 * (etcd's slow-watcher gauge rose to 100 during the run) against ~5 ms with one stream per watch.
 * So a stream takes up to {@value #WATCHES_PER_STREAM} watches before the next one opens, up to
 * {@value #MAX_STREAMS} streams; past that a new watch joins the stream with the fewest.
 *
 * <h2>Sharing</h2>
 * Watches of the same range and flags go on the same stream, where they share one server watch
 * (see {@link WatchSharing}): a hundred watches of one prefix cost the server one watch and each of
 * its events one response, not a hundred, and they count as one toward a stream's watches.
 *
 * <h2>Backpressure</h2>
 * Responses are handed to a per-watch queue drained on the client's callback executor, one
 * response at a time per watch. While the responses not yet consumed by listeners, over all
 * watches of the client, stay under {@value #MAX_PENDING_EVENTS} events and
 * {@value #MAX_PENDING_BYTES} bytes the streams read on; past that each stops reading (HTTP/2 and
 * TCP flow control then push back to the server, which buffers and, as etcd does for slow
 * watchers, moves them to its catch-up path) until the backlog has fallen to half the limit. The
 * buffering is bounded by the limits plus each stream's read-ahead in messages (most hold one
 * revision's events; a catch-up response holds at most about 1000 revisions, a fragmented one is
 * joined first). One slow listener slows every watch of the client (a paused stream's unread
 * responses also hold the connection's HTTP/2 window, which stalls the streams beside it).
 */
public final class WatchClientImpl implements WatchClient, AutoCloseable {

    static final int MAX_PENDING_EVENTS = 10_000;
    static final long MAX_PENDING_BYTES = 64L << 20;
    /** Watches a stream takes before the next stream is opened. */
    static final int WATCHES_PER_STREAM = 16;
    /** Streams at most; then new watches join the least loaded one. */
    static final int MAX_STREAMS = 8;

    private final Transport transport;
    private final LeaderWatches leaderWatches;
    private final List<WatchStream> streams;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean share;
    /** Per watch shape (spec without start revision), the stream its live watches are on; when sharing. */
    private final ConcurrentHashMap<WatchSpec, Home> homes = new ConcurrentHashMap<>();

    // ---- backpressure accounting, across all streams
    private final AtomicLong pendingEvents = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final int maxPendingEvents;
    private final long maxPendingBytes;

    /** @param share whether watches of the same range and flags share a server watch */
    public WatchClientImpl(Transport transport, boolean share) {
        this(transport, MAX_PENDING_EVENTS, MAX_PENDING_BYTES, share);
    }

    /** With other backlog limits: for tests of the backpressure. */
    WatchClientImpl(Transport transport, int maxPendingEvents, long maxPendingBytes, boolean share) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.share = share;
        this.leaderWatches = new LeaderWatches(this, transport);
        this.maxPendingEvents = maxPendingEvents;
        this.maxPendingBytes = maxPendingBytes;
        // One per cent of the event limit, so the overshoot past it stays small.
        int readAhead = Math.max(1, Math.min(WatchStream.MAX_READ_AHEAD, maxPendingEvents / 100));
        List<WatchStream> s = new ArrayList<>(MAX_STREAMS);
        for (int i = 0; i < MAX_STREAMS; i++) {
            s.add(new WatchStream(this, transport, readAhead, share));   // opens a gRPC stream on its first watch only
        }
        this.streams = List.copyOf(s);
    }

    @Override
    public Watcher watch(WatchSpec spec, WatchListener listener) {
        return watch(spec, listener, transport.requestTimeout());
    }

    @Override
    public WatchClient withTimeout(Duration timeout) {
        return new TimedWatchClient(this, transport.withTimeout(timeout).requestTimeout());
    }

    @Override
    public WatchClient withRequireLeader() {
        return leaderWatches.get();
    }

    /** This client's twin on {@code view}: its own streams, the same limits. */
    WatchClientImpl on(Transport view) {
        return new WatchClientImpl(view, maxPendingEvents, maxPendingBytes, share);
    }

    /** A watch whose {@link Watcher#created()} fails with a timeout when not confirmed within {@code createTimeout}. */
    Watcher watch(WatchSpec spec, WatchListener listener, Duration createTimeout) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        WatchSpec shape = WatcherImpl.shapeOf(spec);
        WatchStream stream = share ? enterHome(shape) : place();
        WatcherImpl w = new WatcherImpl(stream, spec, listener);
        if (share) {
            w.terminated().whenComplete((v, e) -> leaveHome(shape));
        }
        w.timeCreation(transport.scheduler(), createTimeout);
        if (closed.get()) {
            w.ended = true;
            w.closed();
            return w;
        }
        transport.events().watchStarted(spec);
        w.terminated().whenComplete((v, e) -> transport.events().watchEnded(spec));
        if (!stream.add(w)) {
            w.ended = true;
            w.closed();
        }
        return w;
    }

    /** The stream a new watch goes on: the first with room, else the one with the fewest watches. */
    private WatchStream place() {
        WatchStream least = streams.get(0);
        for (WatchStream s : streams) {
            int n = s.liveCount();
            if (n < WATCHES_PER_STREAM) {
                return s;
            }
            if (n < least.liveCount()) {
                least = s;
            }
        }
        return least;
    }

    /** The stream of the live watches of this shape, or a newly placed one; counts the new watch in. */
    private WatchStream enterHome(WatchSpec shape) {
        return homes.compute(shape, (k, h) -> {
            Home home = h == null ? new Home(place()) : h;
            home.watches++;
            return home;
        }).stream;
    }

    private void leaveHome(WatchSpec shape) {
        homes.computeIfPresent(shape, (k, h) -> --h.watches == 0 ? null : h);
    }

    /** Where the watches of one shape are; changed only inside the map's compute functions. */
    private static final class Home {
        final WatchStream stream;
        int watches;

        Home(WatchStream stream) {
            this.stream = stream;
        }
    }

    @Override
    public void requestProgress() {
        for (WatchStream s : streams) {
            s.requestProgress();
        }
    }

    /** Ends every watch with {@code onClosed}; called when the client closes. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<WatcherImpl> all = new ArrayList<>();
        for (WatchStream s : streams) {
            all.addAll(s.close());
        }
        TerminalCallbacks.await(all.stream().map(WatcherImpl::terminated).toList());
        leaderWatches.close();
    }

    /** How many Watch streams this client has opened so far; for tests and diagnostics. */
    public long streamsOpened() {
        return streams.stream().mapToLong(WatchStream::streamsOpened).sum();
    }

    /** Watches created on the current streams; for tests and diagnostics. */
    int createdCount() {
        return streams.stream().mapToInt(WatchStream::createdCount).sum();
    }

    // ---- backpressure

    /** A response was queued for a listener. */
    void pending(int events, long bytes) {
        pendingEvents.addAndGet(events);
        pendingBytes.addAndGet(bytes);
    }

    boolean overLimit() {
        return pendingEvents.get() > maxPendingEvents || pendingBytes.get() > maxPendingBytes;
    }

    boolean belowResumeLevel() {
        return pendingEvents.get() <= maxPendingEvents / 2 && pendingBytes.get() <= maxPendingBytes / 2;
    }

    /** A listener consumed a response (or it was dropped): maybe read again. */
    void released(int events, long bytes) {
        long e = pendingEvents.addAndGet(-events);
        long b = pendingBytes.addAndGet(-bytes);
        if (e <= maxPendingEvents / 2 && b <= maxPendingBytes / 2) {
            for (WatchStream s : streams) {
                s.resumeIfBelowLimit();
            }
        }
    }

    /** Events (progress responses count one) queued and not yet consumed; for tests. */
    long pendingEvents() {
        return pendingEvents.get();
    }

    /** Whether a stream has stopped reading because listeners are behind; for tests. */
    boolean isPaused() {
        return streams.stream().anyMatch(WatchStream::isPaused);
    }
}
