package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.mvcc.ByteKey;
import dev.etcdj.server.internal.mvcc.KeyRange;
import dev.etcdj.server.internal.mvcc.MvccStore;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * All watchers of the server, split like etcd into a synced group (fed live by the apply thread,
 * one revision per response) and an unsynced group (behind: fed from storage by the sync thread,
 * up to 1000 revisions per response, then promoted to synced). A watcher whose stream buffer is
 * full is demoted to unsynced instead of blocking the writer.
 */
public final class WatchHub implements AutoCloseable {
    static final int MAX_REVS_PER_RESPONSE = 1000;
    static final int MAX_EVENTS_PER_ROUND = 100_000;

    private final MvccStore store;
    private final LongFunction<ResponseHeader> header;
    private final int fragmentBytes;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private long notifiedRev;
    private final Map<ByteKey, Set<Watcher>> syncedSingle = new HashMap<>();
    private final Set<Watcher> syncedRanged = new LinkedHashSet<>();
    private final Set<Watcher> unsynced = new LinkedHashSet<>();

    private final Thread syncThread;
    private final Object signal = new Object();
    private boolean signaled;
    private volatile boolean closed;
    private final ScheduledExecutorService progressTimer;
    private final Set<WatchStream> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public WatchHub(MvccStore store, LongFunction<ResponseHeader> header, int maxRequestBytes,
            long progressIntervalMillis) {
        this.store = store;
        this.header = header;
        this.fragmentBytes = maxRequestBytes + 512 * 1024;
        this.notifiedRev = store.currentRevision();
        this.syncThread = new Thread(this::syncLoop, "etcdj-watch-sync");
        this.syncThread.setDaemon(true);
        this.syncThread.start();
        this.progressTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcdj-watch-progress");
            t.setDaemon(true);
            return t;
        });
        long interval = Math.max(100, progressIntervalMillis);
        long jitter = interval / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(interval / 10);
        progressTimer.scheduleAtFixedRate(this::progressTick, interval + jitter, interval + jitter,
                TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- stream lifecycle

    /** A new client stream; the returned handle receives the client's requests. */
    public StreamHandle open(ServerCallStreamObserver<WatchResponse> out) {
        WatchStream ws = new WatchStream(out, this::wakeSync);
        streams.add(ws);
        out.setOnReadyHandler(ws::drain);
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
                ws.sendControl(createError(header.apply(notifiedRev), reason));
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
                ws.sendControl(createError(h, "mvcc: watcher range is empty"));
                return;
            }
            long id = r.getWatchId();
            if (id == 0) {
                while (ws.watchers.containsKey(ws.nextAutoId)) {
                    ws.nextAutoId++;
                }
                id = ws.nextAutoId++;
            } else if (ws.watchers.containsKey(id)) {
                ws.sendControl(createError(h, "mvcc: duplicate watch ID provided on the WatchStream"));
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
                unsynced.add(w);
                wakeSync();
            }
        }
    }

    private static WatchResponse createError(ResponseHeader h, String reason) {
        return WatchResponse.newBuilder().setHeader(h).setWatchId(-1).setCreated(true).setCanceled(true)
                .setCancelReason(reason).build();
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
        if (w.isSingleKey()) {
            syncedSingle.computeIfAbsent(ByteKey.wrap(w.range.key()), k -> new HashSet<>()).add(w);
        } else {
            syncedRanged.add(w);
        }
    }

    private void removeSynced(Watcher w) {
        w.synced = false;
        if (w.isSingleKey()) {
            ByteKey k = ByteKey.wrap(w.range.key());
            Set<Watcher> s = syncedSingle.get(k);
            if (s != null) {
                s.remove(w);
                if (s.isEmpty()) {
                    syncedSingle.remove(k);
                }
            }
        } else {
            syncedRanged.remove(w);
        }
    }

    private void unregister(Watcher w) {
        w.canceled = true;
        if (w.synced) {
            removeSynced(w);
        } else {
            unsynced.remove(w);
        }
    }

    // ---------------------------------------------------------------- live notification (apply thread)

    /** Called by the apply thread after each commit with the new revisions, in order. */
    public void notify(List<MvccStore.RevisionEvents> revs) {
        synchronized (lock) {
            for (MvccStore.RevisionEvents re : revs) {
                deliverLive(re);
                notifiedRev = re.revision();
            }
        }
    }

    private void deliverLive(MvccStore.RevisionEvents re) {
        if (syncedSingle.isEmpty() && syncedRanged.isEmpty()) {
            return;
        }
        Map<Watcher, List<Event>> per = new LinkedHashMap<>();
        for (Event e : re.events()) {
            Set<Watcher> s = syncedSingle.get(ByteKey.of(e.getKv().getKey()));
            if (s != null) {
                for (Watcher w : s) {
                    if (w.matches(e)) {
                        per.computeIfAbsent(w, x -> new ArrayList<>()).add(e);
                    }
                }
            }
            for (Watcher w : syncedRanged) {
                if (w.matches(e)) {
                    per.computeIfAbsent(w, x -> new ArrayList<>()).add(e);
                }
            }
        }
        List<Watcher> demote = new ArrayList<>();
        for (Map.Entry<Watcher, List<Event>> pe : per.entrySet()) {
            Watcher w = pe.getKey();
            if (re.revision() < w.minRev) {
                continue;
            }
            WatchResponse resp = eventsResponse(w, re.revision(), pe.getValue());
            if (w.stream.offerEvents(fragments(w, resp))) {
                w.nextRev = re.revision() + 1;
                w.sentSinceProgress = true;
            } else {
                w.nextRev = re.revision();
                demote.add(w);
            }
        }
        for (Watcher w : demote) {
            removeSynced(w);
            unsynced.add(w);
        }
        if (!demote.isEmpty()) {
            wakeSync();
        }
    }

    private WatchResponse eventsResponse(Watcher w, long headerRev, List<Event> events) {
        WatchResponse.Builder b = WatchResponse.newBuilder().setHeader(header.apply(headerRev)).setWatchId(w.id);
        for (Event e : events) {
            if (w.prevKv && e.getKv().getVersion() != 1) {
                KeyValue prev = prevKv(e);
                if (prev != null) {
                    e = e.toBuilder().setPrevKv(prev).build();
                }
            }
            b.addEvents(e);
        }
        return b.build();
    }

    private KeyValue prevKv(Event e) {
        try {
            return store.get(e.getKv().getKey().toByteArray(), e.getKv().getModRevision() - 1);
        } catch (EtcdException compacted) {
            return null;
        }
    }

    private List<WatchResponse> fragments(Watcher w, WatchResponse r) {
        if (!w.fragment || r.getEventsCount() < 2 || r.getSerializedSize() < fragmentBytes) {
            return List.of(r);
        }
        List<WatchResponse> out = new ArrayList<>();
        List<Event> all = r.getEventsList();
        int idx = 0;
        while (idx < all.size()) {
            WatchResponse.Builder cur = r.toBuilder().clearEvents().setFragment(true);
            int size = cur.build().getSerializedSize();
            while (idx < all.size()) {
                int es = all.get(idx).getSerializedSize() + 5;
                if (cur.getEventsCount() > 0 && size + es >= fragmentBytes) {
                    break;
                }
                cur.addEvents(all.get(idx++));
                size += es;
            }
            if (idx == all.size()) {
                cur.setFragment(false);
            }
            out.add(cur.build());
        }
        return out;
    }

    // ---------------------------------------------------------------- catch-up (sync thread)

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
                // keep syncing; a failed round is retried
            }
        }
    }

    private void syncRound() {
        List<Watcher> todo;
        long cur;
        synchronized (lock) {
            cur = notifiedRev;
            if (unsynced.isEmpty()) {
                return;
            }
            todo = new ArrayList<>();
            long compact = store.compactRevision();
            for (Watcher w : new ArrayList<>(unsynced)) {
                if (w.nextRev < compact) {
                    unsynced.remove(w);
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
            store.history(from, cur, e -> {
                long rev = e.getKv().getModRevision();
                if (events.size() >= MAX_EVENTS_PER_ROUND && rev != lastRev[0]) {
                    lastFull[0] = lastRev[0];
                    return false;
                }
                lastRev[0] = rev;
                events.add(e);
                return true;
            });
        }
        long upTo = lastFull[0];
        boolean more = false;
        for (Watcher w : todo) {
            if (w.canceled) {
                continue;
            }
            more |= catchUp(w, events, upTo, cur);
        }
        synchronized (lock) {
            for (Watcher w : todo) {
                if (!w.canceled && !w.synced && w.nextRev > notifiedRev && unsynced.remove(w)) {
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

    /** Sends w its events in [w.nextRev, upTo]; returns true if it is still behind. */
    private boolean catchUp(Watcher w, List<Event> events, long upTo, long headerRev) {
        List<Event> mine = new ArrayList<>();
        long firstRev = -1;
        int revs = 0;
        long lastRev = -1;
        for (Event e : events) {
            long rev = e.getKv().getModRevision();
            if (rev < w.nextRev || rev < w.minRev) {
                continue;
            }
            if (rev > upTo) {
                break;
            }
            if (!w.matches(e)) {
                continue;
            }
            if (rev != lastRev) {
                if (revs == MAX_REVS_PER_RESPONSE) {
                    if (!send(w, mine, headerRev, firstRev)) {
                        return true;
                    }
                    mine = new ArrayList<>();
                    revs = 0;
                }
                if (revs == 0) {
                    firstRev = rev;
                }
                revs++;
                lastRev = rev;
            }
            mine.add(e);
        }
        if (!mine.isEmpty() && !send(w, mine, headerRev, firstRev)) {
            return true;
        }
        w.nextRev = Math.max(w.nextRev, upTo + 1);
        return false;
    }

    private boolean send(Watcher w, List<Event> events, long headerRev, long firstRev) {
        WatchResponse resp = eventsResponse(w, headerRev, events);
        if (!w.stream.offerEvents(fragments(w, resp))) {
            w.nextRev = firstRev;
            return false;
        }
        w.sentSinceProgress = true;
        w.nextRev = events.get(events.size() - 1).getKv().getModRevision() + 1;
        return true;
    }

    // ---------------------------------------------------------------- progress

    private void progressTick() {
        synchronized (lock) {
            List<Watcher> all = new ArrayList<>(syncedRanged);
            for (Set<Watcher> s : syncedSingle.values()) {
                all.addAll(s);
            }
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
            int n = syncedRanged.size() + unsynced.size();
            for (Set<Watcher> s : syncedSingle.values()) {
                n += s.size();
            }
            return n;
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
            ws.fail(io.grpc.Status.UNAVAILABLE.withDescription("etcdserver: server stopped").asRuntimeException());
        }
        streams.clear();
    }
}
