package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.server.internal.mvcc.KeyRange;
import dev.etcdj.server.internal.mvcc.MvccStore;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All watchers of the server, split like etcd into a synced group (fed live by the apply thread,
 * one revision per response while the stream keeps up) and an unsynced group (behind: fed from
 * storage by the sync thread, up to 1000 revisions per response, then promoted to synced). A
 * watcher whose stream buffer is full is demoted to unsynced instead of blocking the writer.
 *
 * <p>The apply thread only finds the watchers of each event (a key map and an interval index, as
 * etcd does) and queues the events on their streams; rendering, serializing and writing the
 * responses happens on the sender thread, so a write's reply does not wait for its fan-out.
 */
public final class WatchHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
    static final int MAX_REVS_PER_RESPONSE = 1000;
    static final int MAX_EVENTS_PER_ROUND = 100_000;
    /** Memory bound of one catch-up round (a single revision is never split, so it may exceed this). */
    static final long MAX_BYTES_PER_ROUND = 64L << 20;

    private final MvccStore store;
    private final LongFunction<ResponseHeader> header;
    private final Responses responses;
    private final CatchUp catchUp;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private long notifiedRev;
    private final WatcherIndex synced = new WatcherIndex();
    private final Set<Watcher> unsynced = new LinkedHashSet<>();
    /** Whether unsynced is non-empty, readable without the lock (to skip needless sync wake-ups). */
    private volatile boolean anyUnsynced;
    /** Scratch of the live delivery (apply thread, under lock): the matcher and the streams it fed. */
    private final LiveMatch liveMatch;
    private final List<WatchStream> roundStreams = new ArrayList<>();

    private final Thread syncThread;
    private final Object signal = new Object();
    private boolean signaled;
    private volatile boolean closed;
    private final ScheduledExecutorService progressTimer;
    /** Renders and writes every stream's responses (see WatchStream). */
    private final ExecutorService sender;
    private final Set<WatchStream> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public WatchHub(MvccStore store, LongFunction<ResponseHeader> header, int maxRequestBytes,
            long progressIntervalMillis) {
        this.store = store;
        this.header = header;
        this.responses = new Responses(store, maxRequestBytes + 512 * 1024);
        this.catchUp = new CatchUp(responses);
        this.liveMatch = new LiveMatch(responses);
        this.notifiedRev = store.currentRevision();
        this.syncThread = new Thread(this::syncLoop, "etcdj-watch-sync");
        this.syncThread.setDaemon(true);
        this.syncThread.start();
        this.sender = Executors.newSingleThreadExecutor(r -> daemon(r, "etcdj-watch-send"));
        this.progressTimer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "etcdj-watch-progress"));
        long interval = Math.max(100, progressIntervalMillis);
        long jitter = interval / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(interval / 10);
        progressTimer.scheduleAtFixedRate(this::progressTick, interval + jitter, interval + jitter,
                TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---------------------------------------------------------------- stream lifecycle

    /** A new client stream; the returned handle receives the client's requests. */
    public StreamHandle open(ServerCallStreamObserver<WatchResponse> out) {
        WatchStream ws = new WatchStream(out, this::wakeSyncIfBehind, sender, this::render);
        streams.add(ws);
        out.setOnReadyHandler(ws::schedule);
        return new StreamHandle(ws);
    }

    /** Requests of one stream. */
    public final class StreamHandle {
        private final WatchStream ws;

        StreamHandle(WatchStream ws) {
            this.ws = ws;
        }

        public void create(WatchCreateRequest r) {
            WatchHub.this.create(ws, r);
        }

        public void cancel(long watchId) {
            WatchHub.this.cancel(ws, watchId);
        }

        /** A create request refused before it reached the hub (e.g. by the auth hook). */
        public void reject(String reason) {
            synchronized (lock) {
                ws.sendControl(Responses.createError(header.apply(notifiedRev), reason));
            }
        }

        public void progress() {
            synchronized (lock) {
                ws.sendControl(WatchResponse.newBuilder().setHeader(header.apply(notifiedRev))
                        .setWatchId(-1).build());
            }
        }

        /** The client went away (or errored): drop every watcher of the stream. */
        public void close() {
            synchronized (lock) {
                for (Watcher w : ws.watchers.values()) {
                    unregister(w);
                }
                ws.watchers.clear();
            }
            ws.close();
            streams.remove(ws);
        }
    }

    private void create(WatchStream ws, WatchCreateRequest r) {
        byte[] key = r.getKey().toByteArray();
        if (key.length == 0) {
            key = new byte[] {0};
        }
        KeyRange range = KeyRange.of(key, r.getRangeEnd().toByteArray());
        boolean noPut = false;
        boolean noDelete = false;
        for (WatchCreateRequest.FilterType f : r.getFiltersList()) {
            if (f == WatchCreateRequest.FilterType.NOPUT) {
                noPut = true;
            } else if (f == WatchCreateRequest.FilterType.NODELETE) {
                noDelete = true;
            }
        }
        synchronized (lock) {
            ResponseHeader h = header.apply(notifiedRev);
            if (range.isEmpty()) {
                ws.sendControl(Responses.createError(h, WireError.WATCH_RANGE_EMPTY.message()));
                return;
            }
            long id = r.getWatchId();
            if (id == 0) {
                while (ws.watchers.containsKey(ws.nextAutoId)) {
                    ws.nextAutoId++;
                }
                id = ws.nextAutoId++;
            } else if (ws.watchers.containsKey(id)) {
                ws.sendControl(Responses.createError(h, WireError.WATCH_DUPLICATE_ID.message()));
                return;
            }
            long start = r.getStartRevision() <= 0 ? notifiedRev + 1 : r.getStartRevision();
            Watcher w = new Watcher(ws, id, range, start, r.getPrevKv(), noPut, noDelete,
                    r.getProgressNotify(), r.getFragment());
            ws.sendControl(WatchResponse.newBuilder().setHeader(h).setWatchId(id).setCreated(true).build());
            long compact = store.compactRevision();
            if (r.getStartRevision() > 0 && start < compact) {
                ws.sendControl(WatchResponse.newBuilder().setHeader(header.apply(0)).setWatchId(id)
                        .setCanceled(true).setCompactRevision(compact).build());
                return;
            }
            ws.watchers.put(id, w);
            if (start > notifiedRev) {
                addSynced(w);
            } else {
                addUnsynced(w);
                wakeSync();
            }
        }
    }

    private void cancel(WatchStream ws, long id) {
        synchronized (lock) {
            Watcher w = ws.watchers.remove(id);
            if (w == null) {
                return;
            }
            unregister(w);
            ws.sendControl(WatchResponse.newBuilder().setHeader(header.apply(store.currentRevision()))
                    .setWatchId(id).setCanceled(true).build());
        }
    }

    private void addSynced(Watcher w) {
        w.synced = true;
        synced.add(w);
    }

    private void removeSynced(Watcher w) {
        w.synced = false;
        synced.remove(w);
    }

    private void addUnsynced(Watcher w) {
        unsynced.add(w);
        anyUnsynced = true;
    }

    private boolean removeUnsynced(Watcher w) {
        boolean removed = unsynced.remove(w);
        anyUnsynced = !unsynced.isEmpty();
        return removed;
    }

    private void unregister(Watcher w) {
        w.canceled = true;
        if (w.synced) {
            removeSynced(w);
        } else {
            removeUnsynced(w);
        }
    }

    // ---------------------------------------------------------------- live notification (apply thread)

    /** Called by the apply thread after each commit with the new revisions, in order. */
    public void notify(List<MvccStore.RevisionEvents> revs) {
        WatchStream[] touched;
        synchronized (lock) {
            for (MvccStore.RevisionEvents re : revs) {
                deliverLive(re);
                notifiedRev = re.revision();
            }
            touched = roundStreams.toArray(new WatchStream[0]);
            roundStreams.clear();
            for (WatchStream ws : touched) {
                ws.touched = false;
            }
        }
        // outside the lock: starting a stream's sender needs no hub state
        for (WatchStream ws : touched) {
            ws.schedule();
        }
    }

    private void deliverLive(MvccStore.RevisionEvents re) {
        if (synced.isEmpty()) {
            return;
        }
        long rev = re.revision();
        LiveMatch m = liveMatch;
        m.rev = rev;
        m.events = re.events();
        m.withPrev = null;
        for (int i = 0; i < m.events.size(); i++) {
            m.event = m.events.get(i);
            m.index = i;
            synced.forEachMatch(m.event.getKv().getKey().toByteArray(), m);
        }
        m.events = null;
        m.event = null;
        m.withPrev = null;
        if (liveMatch.roundWatchers.isEmpty()) {
            return;
        }
        boolean demoted = false;
        for (Watcher w : liveMatch.roundWatchers) {
            List<Event> events = w.roundMore != null ? w.roundMore : List.of(w.roundFirst);
            w.roundFirst = null;
            w.roundMore = null;
            if (w.stream.offer(w, events, 1, rev, Responses.bytes(events), true)) {
                w.nextRev = rev + 1;
                w.sentSinceProgress = true;
                if (!w.stream.touched) {
                    w.stream.touched = true;
                    roundStreams.add(w.stream);
                }
            } else {
                w.nextRev = rev;
                removeSynced(w);
                addUnsynced(w);
                demoted = true;
            }
        }
        liveMatch.roundWatchers.clear();
        if (demoted) {
            wakeSync();
        }
    }

    /** Renders a queued batch (sender thread). */
    private List<WatchResponse> render(WatchStream.Batch b) {
        WatchResponse r = WatchResponse.newBuilder().setHeader(header.apply(b.headerRev)).setWatchId(b.watcher.id)
                .addAllEvents(b.events).build();
        return responses.fragments(b.watcher, r);
    }

    // ---------------------------------------------------------------- catch-up (sync thread)

    /** A stream made room: only the sync thread's watchers can be waiting for it. */
    private void wakeSyncIfBehind() {
        if (anyUnsynced) {
            wakeSync();
        }
    }

    private void wakeSync() {
        synchronized (signal) {
            signaled = true;
            signal.notifyAll();
        }
    }

    private void syncLoop() {
        while (!closed) {
            synchronized (signal) {
                if (!signaled) {
                    try {
                        signal.wait(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                signaled = false;
            }
            try {
                syncRound();
            } catch (RuntimeException e) {
                // the round's watchers stay unsynced at their next revision: the next round retries them
                LOG.atWarn().setCause(e).log("watch catch-up round failed; retrying");
                wakeSync();
            }
        }
    }

    private void syncRound() {
        List<Watcher> todo;
        long cur;
        long compactBefore;
        synchronized (lock) {
            cur = notifiedRev;
            if (unsynced.isEmpty()) {
                return;
            }
            todo = new ArrayList<>();
            long compact = store.compactRevision();
            compactBefore = compact;
            for (Watcher w : new ArrayList<>(unsynced)) {
                if (w.nextRev < compact) {
                    removeUnsynced(w);
                    w.stream.watchers.remove(w.id);
                    w.canceled = true;
                    w.stream.sendControl(WatchResponse.newBuilder().setHeader(header.apply(0)).setWatchId(w.id)
                            .setCanceled(true).setCompactRevision(compact).build());
                } else if (w.stream.hasRoom()) {
                    todo.add(w);
                }
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        long from = Long.MAX_VALUE;
        for (Watcher w : todo) {
            from = Math.min(from, w.nextRev);
        }
        List<Event> events = new ArrayList<>();
        long[] lastFull = {cur};
        if (from <= cur) {
            long[] lastRev = {-1};
            long[] bytes = {0};
            store.history(from, cur, e -> {
                long rev = e.getKv().getModRevision();
                if ((events.size() >= MAX_EVENTS_PER_ROUND || bytes[0] >= MAX_BYTES_PER_ROUND) && rev != lastRev[0]) {
                    lastFull[0] = lastRev[0];
                    return false;
                }
                lastRev[0] = rev;
                bytes[0] += e.getKv().getSerializedSize();
                events.add(e);
                return true;
            });
        }
        if (store.compactRevision() != compactBefore) {
            // a compaction ran during the scan: history may have holes; redo (and cancel the
            // watchers that fell behind the new compact revision)
            wakeSync();
            return;
        }
        long upTo = lastFull[0];
        byte[][] keys = new byte[events.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = events.get(i).getKv().getKey().toByteArray();
        }
        boolean more = false;
        for (Watcher w : todo) {
            if (w.canceled) {
                continue;
            }
            more |= catchUp.run(w, events, keys, upTo, cur);
        }
        synchronized (lock) {
            for (Watcher w : todo) {
                if (!w.canceled && !w.synced && w.nextRev > notifiedRev && removeUnsynced(w)) {
                    addSynced(w);
                } else if (!w.canceled && !w.synced) {
                    more = true;
                }
            }
        }
        if (more) {
            wakeSync();
        }
    }

    /**
     * Cancels every watcher with "etcdserver: watch canceled": called when a delivery of events
     * failed part way, so that no watcher goes on as if it had missed nothing. Clients see the
     * cancellation and can watch again from their last revision.
     */
    public void cancelAll() {
        synchronized (lock) {
            liveMatch.roundWatchers.clear();
            for (WatchStream ws : roundStreams) {
                ws.touched = false;
            }
            roundStreams.clear();
            notifiedRev = store.currentRevision();
            for (WatchStream ws : streams) {
                for (Watcher w : ws.watchers.values()) {
                    unregister(w);
                    ws.sendControl(WatchResponse.newBuilder().setHeader(header.apply(notifiedRev)).setWatchId(w.id)
                            .setCanceled(true).setCancelReason(WireError.WATCH_CANCELED.message()).build());
                }
                ws.watchers.clear();
            }
        }
    }

    // ---------------------------------------------------------------- progress

    private void progressTick() {
        synchronized (lock) {
            List<Watcher> all = new ArrayList<>(synced.size());
            synced.forEach(all::add);
            for (Watcher w : all) {
                if (!w.progressNotify) {
                    continue;
                }
                if (!w.sentSinceProgress) {
                    w.stream.sendControl(WatchResponse.newBuilder().setHeader(header.apply(notifiedRev))
                            .setWatchId(w.id).build());
                }
                w.sentSinceProgress = false;
            }
        }
    }

    public int watcherCount() {
        synchronized (lock) {
            return synced.size() + unsynced.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        progressTimer.shutdownNow();
        syncThread.interrupt();
        try {
            syncThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (WatchStream ws : streams) {
            ws.fail(WireError.STOPPED.asException());
        }
        streams.clear();
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
