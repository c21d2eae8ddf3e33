package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Options;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * A local copy of every key under a prefix, kept current by a watch: one get, then a watch from the
 * revision after it. Reads ({@link #get}, {@link #snapshot}) are local and never block on etcd. The
 * client's watch resumes by itself across reconnects and failover without losing events; when the
 * revision the watch needs has been compacted away (it was down too long), or the watch fails
 * otherwise, the cache lists the prefix again and tells the listener what changed meanwhile.
 * <pre>{@code
 * try (WatchCache cache = WatchCache.start(client, "config/", (key, before, after) -> log(key, after)).join()) {
 *     Optional<KeyValue> timeout = cache.get("config/timeout");
 * }
 * }</pre>
 * The cache is eventually consistent: after a write, {@link #revision()} tells how far it has got.
 */
public final class WatchCache implements AutoCloseable {

    /** Hears every change of the cache, one call at a time, in revision order. */
    @FunctionalInterface
    public interface Listener {
        /**
         * The key changed from {@code before} to {@code after} (empty: absent). The initial listing
         * is heard as a change from absent for each key.
         */
        void onChange(Bytes key, Optional<KeyValue> before, Optional<KeyValue> after);

        /** The watch failed; the cache is listing the prefix again (not terminal). */
        default void onError(EtcdException error) {}
    }

    private static final Duration MIN_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final EtcdClient client;
    private final Bytes prefix;
    private final Listener listener;
    private final ConcurrentSkipListMap<Bytes, KeyValue> entries = new ConcurrentSkipListMap<>();
    private final CompletableFuture<WatchCache> started = new CompletableFuture<>();
    // Writers hold this lock; a snapshot takes it so the map and revision it returns agree.
    private final Object lock = new Object();
    private volatile long revision;
    private volatile boolean closed;
    private volatile Watcher watcher;
    /** Bumped on every re-list, so callbacks of an abandoned watch are ignored. */
    private volatile int generation;
    private volatile Duration retry = MIN_RETRY;

    private WatchCache(EtcdClient client, Bytes prefix, Listener listener) {
        this.client = client;
        this.prefix = prefix;
        this.listener = listener;
    }

    /**
     * Starts caching every key under {@code prefix}; completes once the initial listing is loaded,
     * or fails with the error of that listing.
     */
    public static CompletableFuture<WatchCache> start(EtcdClient client, String prefix, Listener listener) {
        return start(client, Bytes.of(prefix), listener);
    }

    public static CompletableFuture<WatchCache> start(EtcdClient client, Bytes prefix, Listener listener) {
        WatchCache cache = new WatchCache(Objects.requireNonNull(client, "client"),
                Objects.requireNonNull(prefix, "prefix"), listener == null ? (k, b, a) -> { } : listener);
        cache.list(cache.generation);
        return cache.started;
    }

    /** The cached state of the key, if it exists. */
    public Optional<KeyValue> get(String key) {
        return get(Bytes.of(key));
    }

    public Optional<KeyValue> get(Bytes key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** A copy of the whole cache, in key order. */
    public NavigableMap<Bytes, KeyValue> snapshot() {
        synchronized (lock) {
            return Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
        }
    }

    /** The store revision the cache reflects: every change up to it has been applied. */
    public long revision() {
        return revision;
    }

    public Bytes prefix() {
        return prefix;
    }

    /** Stops watching; the cache keeps its last state. */
    @Override
    public void close() {
        closed = true;
        Waits.close(watcher);
        started.completeExceptionally(new ClientClosedException());
    }

    private void list(int gen) {
        if (closed) {
            return;
        }
        client.kv().get(prefix, Options.prefix()).whenComplete((resp, err) -> {
            if (closed || gen != generation) {
                return;
            }
            if (err != null) {
                EtcdException e = asEtcd(Waits.unwrap(err));
                if (e instanceof ClientClosedException || !started.isDone()) {
                    // Nothing to serve yet (or ever): the caller of start() hears why, and may try again.
                    started.completeExceptionally(e);
                    close();
                    return;
                }
                listener.onError(e);
                retryLater(gen);
                return;
            }
            retry = MIN_RETRY;
            replace(resp);
            started.complete(this);
            watchFrom(gen, resp.header().revision() + 1);
        });
    }

    /** Loads a fresh listing, telling the listener what differs from what the cache held. */
    private void replace(GetResponse resp) {
        List<Change> changes = new ArrayList<>();
        synchronized (lock) {
            Map<Bytes, KeyValue> fresh = new TreeMap<>();
            for (KeyValue kv : resp.kvs()) {
                fresh.put(kv.key(), kv);
            }
            for (KeyValue old : entries.values()) {
                if (!fresh.containsKey(old.key())) {
                    entries.remove(old.key());
                    changes.add(new Change(old.key(), old, null));
                }
            }
            for (KeyValue kv : fresh.values()) {
                KeyValue old = entries.put(kv.key(), kv);
                if (old == null || old.modRevision() != kv.modRevision()) {
                    changes.add(new Change(kv.key(), old, kv));
                }
            }
            revision = resp.header().revision();
        }
        notify(changes);
    }

    private void watchFrom(int gen, long fromRevision) {
        Watcher w = client.watch().watch(prefix, new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                if (!closed && gen == generation) {
                    apply(response);
                }
            }

            @Override
            public void onError(EtcdException error) {
                if (closed || gen != generation) {
                    return;
                }
                listener.onError(error);
                int next = ++generation;
                if (error instanceof CompactedException) {
                    // The history we missed is gone: only a fresh listing can tell us the state now.
                    list(next);
                } else {
                    retryLater(next);
                }
            }

            @Override
            public void onClosed() {
                // Closed by us, or the client was closed: nothing more will come either way.
                closed = true;
            }
        }, Options.prefix(), Options.revision(fromRevision));
        watcher = w;
        if (closed) {
            w.close();
        }
    }

    private void apply(WatchResponse response) {
        List<Change> changes = new ArrayList<>(response.events().size());
        synchronized (lock) {
            for (WatchEvent event : response.events()) {
                Bytes key = event.kv().key();
                if (event.type() == WatchEvent.Type.PUT) {
                    KeyValue old = entries.put(key, event.kv());
                    changes.add(new Change(key, old, event.kv()));
                } else {
                    KeyValue old = entries.remove(key);
                    if (old != null) {
                        changes.add(new Change(key, old, null));
                    }
                }
            }
            // Everything up to the header's revision has now been delivered to this watch.
            revision = Math.max(revision, response.header().revision());
        }
        notify(changes);
    }

    /** Outside the lock, on the thread that applied the changes: listeners see them in order. */
    private void notify(List<Change> changes) {
        for (Change c : changes) {
            listener.onChange(c.key(), Optional.ofNullable(c.before()), Optional.ofNullable(c.after()));
        }
    }

    private record Change(Bytes key, KeyValue before, KeyValue after) {}

    private void retryLater(int gen) {
        Duration delay = retry;
        retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> list(gen));
    }

    private static EtcdException asEtcd(Throwable t) {
        return t instanceof EtcdException e ? e : new EtcdException(EtcdException.Code.UNKNOWN, String.valueOf(t), t);
    }
}
