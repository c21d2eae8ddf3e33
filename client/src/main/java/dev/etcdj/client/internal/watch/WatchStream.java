package dev.etcdj.client.internal.watch;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.client.internal.stream.ResilientStream;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One Watch stream of a {@link WatchClientImpl} and the watches it carries, multiplexed.
 *
 * <h2>Creating</h2>
 * Creates ask for {@code watch_id=0}, so the server numbers the watches, and several are in flight
 * at once (up to {@value #MAX_CREATES_IN_FLIGHT}), oldest first in a FIFO. etcd handles a stream's
 * requests in order on one goroutine and answers every create with exactly one {@code created}
 * response, in that order, also when it refuses one (permission denied: {@code created} and
 * {@code canceled}, watch ID -1), and holds a new watch's events back until its {@code created}
 * response is sent; so each {@code created} response belongs to the oldest create in flight. One
 * create at a time (as Go's clientv3 does) cost a round trip per watch: 10,000 watches took seconds
 * to create on loopback, and after a reconnect every live watch is created again the same way. A
 * watcher closed while its create is in flight stays in the FIFO, ended, and the ID its
 * {@code created} response brings is cancelled at once. When the stream fails, the creates in flight
 * and those not sent yet are simply sent again, on the next stream, with every other live watch.
 *
 * <h2>Resuming</h2>
 * When the stream fails (connection dropped, server restarted, endpoint failed over) it is reopened
 * on the transport's current endpoint after {@link Transport#backoff(int)}, forever until the client
 * is closed (see {@link ResilientStream}), and every live watch is created again from the revision
 * after the last one it accepted (see {@link RevisionTracker}). Events at or below that revision
 * are dropped, so none is delivered twice, none is lost and order is kept. If that revision was
 * compacted meanwhile the watch ends with {@code onError(CompactedException)}; if the server
 * cancels a watch, with the typed error its reason names (e.g. {@code PermissionDeniedException}).
 * When the stream itself fails with an error that reopening it would repeat (a message larger than
 * the client accepts, bad credentials, an untrusted certificate), every watch on it ends with that
 * error. A watch never ends without a terminal callback.
 *
 * <h2>Reading</h2>
 * With gRPC's manual flow control, a number of messages ahead, while the client's backlog allows
 * (see {@link ReadCredits}).
 *
 * <h2>Handing over</h2>
 * gRPC runs the stream's inbound callbacks in bursts: one task on the callback executor handles
 * every message that arrived meanwhile (with 16 watches of one prefix, up to a put's 16 responses).
 * The watches a burst gives responses to are handed to the callback executor together when it
 * ends (or every {@value #HAND_OVER_EVERY} messages in a long one), each still as a task of its
 * own, so a blocked listener holds up only its own watch, and no user code runs in a burst while
 * watches wait to be handed over. Handed over one by one, each response put a listener task in the
 * executor's queue in the middle of the burst, ahead of what the network thread queued after it,
 * such as the answers to the puts that cause the events: in the watch fan-out bench (100 watches,
 * 4 writers on the same client) the writers' put p50 fell 11-19 % and events/s rose with it.
 *
 * <h2>Sharing</h2>
 * Watches of the same range and flags share one server watch (see {@link WatchSharing}): etcd then
 * sends each event once, not once per watch, and the stream hands it to each of them.
 *
 * <h2>Progress</h2>
 * A watch's own progress notification moves its resume point. The reply to
 * {@link #requestProgress()} (watch ID -1) goes to every created watch as a progress response but
 * does not move resume points: etcd 3.4 sends it at once, possibly ahead of events still queued
 * for a watch, so trusting it could lose events.
 */
final class WatchStream {

    /**
     * Creates sent on this stream whose {@code created} response has not arrived, at most. Enough to
     * hide the round trip (10,000 watches of different keys spread over a client's 8 streams: 1,250
     * each, created over a 10 ms link in 5 round trips instead of 1,250; 10,000 of one key share one
     * stream, and each is created and then cancelled there: with 64 in flight they were made at 4,100
     * a second on loopback against etcd, with 256 at 5,300, where 8 streams make them at 6,300), small
     * enough that a burst of thousands does not pile up in the server: etcd's recvLoop blocks once
     * its control queue (16 responses) is full, and this stream's cancels and progress requests wait
     * behind what is in flight (256 creates: a few milliseconds). 256 creates (tens of KiB) also stay
     * below HTTP/2's flow-control window.
     */
    static final int MAX_CREATES_IN_FLIGHT = 256;

    /** Messages asked for ahead of the one being handled, at most. */
    static final int MAX_READ_AHEAD = 256;

    private final WatchClientImpl client;
    private final Transport transport;
    private final Object lock = new Object();
    /** A new stream always has a create in flight, which etcd answers at once: its first answer. */
    private final ResilientStream<WatchRequest, WatchMessage> stream;

    // ---- guarded by lock
    private final Set<WatcherImpl> live = new LinkedHashSet<>();       // every watch not ended
    private final ArrayDeque<WatcherImpl> toCreate = new ArrayDeque<>();
    private final Map<Long, WatcherImpl> byId = new HashMap<>();        // watches on a server watch of their own
    /** Null when the client does not share server watches. */
    private final WatchSharing sharing;
    /** Creates sent, oldest first, whose {@code created} response has not arrived; ended ones stay. */
    private final ArrayDeque<WatcherImpl> inFlight = new ArrayDeque<>();
    private boolean closed;
    /** The server watches {@link #live} needs, readable without the lock: for placing new watches. */
    private volatile int liveCount;

    private final ReadCredits credits;

    /** Messages of one burst at most before the watches it made ready are handed over. */
    static final int HAND_OVER_EVERY = 16;
    /** The stream whose inbound burst the current thread is running, if any. */
    private static final ThreadLocal<WatchStream> BURST = new ThreadLocal<>();
    /** Watches given responses in the current burst, not yet handed to the callback executor. */
    private final List<WatcherImpl> ready = new ArrayList<>();          // guarded by lock
    private int sinceHandOver;          // guarded by lock: messages handled since `ready` was last emptied
    private final Fanout.Queue queue = this::enqueue;

    /** @param readAhead messages asked for ahead of the one being handled */
    WatchStream(WatchClientImpl client, Transport transport, int readAhead, boolean share) {
        this.client = client;
        this.sharing = share ? new WatchSharing() : null;
        this.transport = transport;
        this.credits = new ReadCredits(client, Math.max(1, readAhead / 4));
        this.stream = new ResilientStream<>("watch", transport, WatchMessageDecoder.METHOD, lock, readAhead,
                ResilientStream.FIRST_ANSWER_TIMEOUT_NANOS, this::runBurst, new Watches());
    }

    /** gRPC's executor for the stream's inbound: the callback executor, ending each burst with a hand-over. */
    private void runBurst(Runnable burst) {
        transport.callbackExecutor().execute(() -> {
            BURST.set(this);
            try {
                burst.run();
            } finally {
                BURST.remove();
                handOver();
            }
        });
    }

    /** Hands the watches made ready so far to the callback executor, outside the lock. */
    private void handOver() {
        WatcherImpl[] toStart;
        synchronized (lock) {
            if (ready.isEmpty()) {
                return;
            }
            toStart = ready.toArray(new WatcherImpl[0]);
            ready.clear();
            sinceHandOver = 0;
        }
        for (WatcherImpl w : toStart) {
            w.startDrain();
        }
    }

    /** Whether the watch is taken; false when the client is closed (the caller ends the watch then). */
    boolean add(WatcherImpl w) {
        synchronized (lock) {
            if (closed || transport.isClosed()) {
                return false;
            }
            live.add(w);
            countLive();
            toCreate.add(w);
            if (!stream.start()) {      // a new stream sends the first create itself
                sendCreates();
            }
            return true;
        }
    }

    /** The server watches the live watches of this stream need (riders need none). */
    int liveCount() {
        return liveCount;
    }

    private void countLive() {
        liveCount = live.size() - (sharing == null ? 0 : sharing.riding());
    }

    void requestProgress() {
        stream.send(WatchRequests.progress());
    }

    /** Ends every watch with {@code onClosed} and returns them; called when the client closes. */
    List<WatcherImpl> close() {
        List<WatcherImpl> all;
        synchronized (lock) {
            if (closed) {
                return List.of();
            }
            closed = true;
            all = endAll();
            stopStream("client closed");
        }
        for (WatcherImpl w : all) {
            w.closed();
        }
        handOver();     // closed from inside a burst: the caller waits for these terminal callbacks
        return all;
    }

    /** How many Watch streams this one has opened so far; for tests and diagnostics. */
    long streamsOpened() {
        return stream.streamsOpened();
    }

    /** Watches created on the current stream; for tests and diagnostics. */
    int createdCount() {
        synchronized (lock) {
            return byId.size();
        }
    }

    Executor callbackExecutor() {
        return transport.callbackExecutor();
    }

    void released(int events, long bytes) {
        client.released(events, bytes);
    }

    // ---- a watcher closed by its user

    void closeWatcher(WatcherImpl w) {
        synchronized (lock) {
            if (w.ended) {
                return;
            }
            w.ended = true;
            live.remove(w);
            toCreate.remove(w);
            if (w.head != null) {
                sharing.leave(w);       // a rider: nothing to tell the server
            } else if (w.watchId >= 0 && byId.remove(w.watchId) == w) {
                WatcherImpl heir = sharing == null ? null : sharing.handOff(w);
                if (heir == null) {
                    stream.send(WatchRequests.cancel(w.watchId));
                } else {
                    heir.watchId = w.watchId;       // the first rider goes on with the server watch
                    heir.fragments = w.fragments;
                    byId.put(heir.watchId, heir);
                }
            }
            countLive();
            // A watcher whose create is in flight stays in `inFlight`: its ID is cancelled on arrival.
            stopIfIdle();
        }
        w.closed();
    }

    /** Marks every live watch ended and forgets it; the caller delivers the terminal callbacks. Under {@link #lock}. */
    private List<WatcherImpl> endAll() {
        List<WatcherImpl> all = new ArrayList<>(live);
        for (WatcherImpl w : all) {
            w.ended = true;
        }
        if (sharing != null) {
            sharing.clear(all);
        }
        live.clear();
        liveCount = 0;
        toCreate.clear();
        byId.clear();
        inFlight.clear();
        return all;
    }

    // ---- the stream

    private void stopStream(String why) {
        stream.stop(why);
        inFlight.clear();
        byId.clear();
    }

    /** Closes the stream once no watch needs it; the next watch opens a new one. */
    private void stopIfIdle() {
        if (live.isEmpty() && stream.isOpen()) {
            stopStream("no watch left");
        }
    }

    /** What the watch stream carries: every live watch. Runs under {@link #lock}. */
    private final class Watches implements ResilientStream.Handler<WatchMessage> {

        @Override
        public boolean wanted() {
            return !closed && !live.isEmpty();
        }

        @Override
        public void opened() {
            credits.reset();
            sendCreates();
        }

        @Override
        public Runnable received(WatchMessage r) {
            return WatchStream.this.received(r);
        }

        @Override
        public void interrupted(EtcdException error) {
            // Every live watch is created again on the next stream, in the order they were made,
            // including those whose create was in flight or not sent yet.
            inFlight.clear();
            byId.clear();
            toCreate.clear();
            if (sharing != null) {
                sharing.clear(live);
                countLive();
            }
            for (WatcherImpl w : live) {
                w.watchId = -1;
                if (w.fragments != null) {
                    w.fragments.reset();
                }
                toCreate.add(w);
            }
        }

        @Override
        public Runnable failed(EtcdException error) {
            // Every watch on the stream ends with the error, after the responses it already has.
            List<WatcherImpl> all = endAll();
            return () -> {
                handOver();
                all.forEach(w -> w.failed(error));
            };
        }

        @Override
        public void clientClosed() {
            client.close();    // every watch ends with onClosed
        }
    }

    /** Sends queued creates while fewer than {@link #MAX_CREATES_IN_FLIGHT} are in flight. */
    private void sendCreates() {
        while (inFlight.size() < MAX_CREATES_IN_FLIGHT && stream.isOpen()) {
            WatcherImpl w = toCreate.poll();
            if (w == null) {
                return;
            }
            inFlight.add(w);
            stream.send(WatchRequests.create(w.spec(), w.tracker.resumeRevision()));
        }
    }

    /** A message on the current stream, under the lock; returns the terminal callbacks it caused. */
    private Runnable received(WatchMessage r) {
        Runnable after = null;
        if (r.created()) {
            after = onCreated(r);
        } else if (r.watchId() == -1) {
            onProgressAll(r);
        } else {
            after = onWatchResponse(r);
        }
        if (after != null) {
            after = andThen(this::handOver, after);     // no user code runs while watches wait in `ready`
        } else if (!ready.isEmpty() && ++sinceHandOver >= HAND_OVER_EVERY) {
            after = this::handOver;
        }
        if (stream.isOpen()) {
            request(credits.read());
        }
        return after;
    }

    private static Runnable andThen(Runnable first, Runnable second) {
        return first == null ? second : () -> {
            first.run();
            second.run();
        };
    }

    /** A created (or refused) watch; returns the terminal callback of a refused one, or null. */
    private Runnable onCreated(WatchMessage r) {
        WatcherImpl w = inFlight.poll();      // the server answers creates in the order they were sent
        Runnable after = null;
        if (w == null) {
            // Not ours (cannot happen: every create gets exactly one answer); do not leave it running.
            if (!r.canceled() && r.watchId() >= 0) {
                stream.send(WatchRequests.cancel(r.watchId()));
            }
        } else if (r.canceled()) {
            if (!w.ended) {
                after = fail(w, WatchCancelErrors.of(r));
            }
        } else if (w.ended) {
            stream.send(WatchRequests.cancel(r.watchId()));     // closed while its create was in flight
        } else {
            w.watchId = r.watchId();
            w.tracker.created(r.header().revision());
            handOver();         // confirmed() completes a future the user may chain on
            w.confirmed();
            byId.put(w.watchId, w);
            share(w);
        }
        sendCreates();
        return after;
    }

    private void onProgressAll(WatchMessage r) {
        for (WatcherImpl w : byId.values()) {
            Fanout.progress(w, r.header(), r.wireSize(), false, queue);
        }
    }

    /** Lets {@code w}, on a server watch of its own, ride on the head of its shape if it can. */
    private void share(WatcherImpl w) {
        if (sharing != null && !w.isHead && sharing.tryJoin(w)) {
            byId.remove(w.watchId);
            stream.send(WatchRequests.cancel(w.watchId));   // what it sent from now on comes through its head
            w.watchId = -1;
            w.fragments = null;
            countLive();
        }
    }

    /** Events or a progress notification of one watch; returns the terminal callback of a cancelled one, or null. */
    private Runnable onWatchResponse(WatchMessage r) {
        WatcherImpl w = byId.get(r.watchId());
        if (w == null) {
            return null;     // cancelled by us, or already failed
        }
        if (r.canceled()) {
            return fail(w, WatchCancelErrors.of(r));
        }
        List<WatchEvent> events = r.events();
        if (r.fragment() || (w.fragments != null && !w.fragments.isEmpty())) {
            if (w.fragments == null) {
                w.fragments = new FragmentBuffer();
            }
            events = w.fragments.add(events, r.fragment());
            if (events == null) {
                return null;
            }
        }
        if (events.isEmpty()) {
            Fanout.progress(w, r.header(), r.wireSize(), true, queue);
        } else {
            Fanout.events(w, r.header(), events, r.wireSize(), queue);
        }
        share(w);       // it found its head ahead when created: it may have caught up
        return null;
    }

    /** Ends a watch the server cancelled; its queued responses are delivered first. */
    private Runnable fail(WatcherImpl w, EtcdException error) {
        w.ended = true;
        live.remove(w);
        if (w.watchId >= 0) {
            byId.remove(w.watchId);
        }
        toCreate.remove(w);
        if (sharing != null) {
            // Its riders did not fail: each is created again on its own, from its own revision.
            toCreate.addAll(sharing.detach(w));
            sendCreates();
        }
        countLive();
        stopIfIdle();
        return () -> w.failed(error);
    }

    private void enqueue(WatcherImpl w, WatchResponse response, int events, long bytes) {
        client.pending(events, bytes);
        if (w.offer(new WatcherImpl.Item(response, events, bytes))) {
            if (BURST.get() == this) {
                ready.add(w);           // handed over when the burst ends
            } else {
                w.startDrain();         // not on this stream's inbound (cannot happen with gRPC): at once
            }
        }
    }

    // ---- backpressure

    /** Reads again if backpressure held this stream back and the client's backlog allows it. */
    void resumeIfBelowLimit() {
        if (credits.paused()) {
            synchronized (lock) {
                if (credits.paused() && client.belowResumeLevel()) {
                    request(credits.resume());
                }
            }
        }
    }

    /** Gives credits back; under the lock. */
    private void request(int n) {
        if (n > 0 && stream.isOpen()) {
            stream.request(n);
        }
    }

    /** Whether the stream has stopped reading because listeners are behind; for tests. */
    boolean isPaused() {
        return credits.paused();
    }
}
