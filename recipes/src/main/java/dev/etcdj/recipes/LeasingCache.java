package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.Watcher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link LeasingKv} knows locally: the answers of the keys it holds a lease on, and for each
 * key a count of writes begun, so that an answer read before a write of ours landed is never cached
 * after it. Range writes and the end of the session bump one count for every key.
 */
final class LeasingCache {

    /** A cached key: its last answer and the create revision of our lease key. */
    record Entry(GetResponse response, long leaseRevision) {}

    /** What {@link #snapshot} saw: the key's write count and the count of every-key events. */
    record Stamp(long key, long all) {}

    private final Map<Bytes, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Bytes, Long> writes = new ConcurrentHashMap<>();
    private final Map<Bytes, Watcher> monitors = new ConcurrentHashMap<>();
    private final AtomicLong everyKey = new AtomicLong();
    private volatile boolean closed;

    Entry get(Bytes key) {
        return entries.get(key);
    }

    Stamp snapshot(Bytes key) {
        return new Stamp(writes.getOrDefault(key, 0L), everyKey.get());
    }

    /** Caches the answer unless a write of the key (or of every key) began since {@code stamp}. */
    boolean putIfUnchanged(Bytes key, Entry entry, Stamp stamp) {
        synchronized (this) {
            if (closed || !snapshot(key).equals(stamp)) {
                return false;
            }
            entries.put(key, entry);
            return true;
        }
    }

    /** A write of {@code key} begins or ends: forget its answer, and refuse answers read before now. */
    void written(Bytes key) {
        synchronized (this) {
            writes.merge(key, 1L, Long::sum);
            entries.remove(key);
        }
    }

    /** A write of every key in [key, end) begins or ends. */
    void writtenRange(Bytes key, Bytes end) {
        synchronized (this) {
            everyKey.incrementAndGet();
            entries.keySet().removeIf(k -> inRange(k, key, end));
        }
    }

    /** Our lease on the key is gone (revoked by a writer, or deleted): forget it. */
    void evict(Bytes key) {
        Watcher w;
        synchronized (this) {
            written(key);
            w = monitors.remove(key);
        }
        if (w != null) {
            w.close();
        }
    }

    /** Whether a watch on our lease key is to be started (none runs yet); records it when so. */
    boolean monitor(Bytes key, java.util.function.Supplier<Watcher> start) {
        synchronized (this) {
            if (closed || monitors.containsKey(key)) {
                return false;
            }
            monitors.put(key, start.get());
            return true;
        }
    }

    /** The session ended or the KV was closed: nothing is cached from now on. */
    void clear() {
        synchronized (this) {
            closed = true;
            everyKey.incrementAndGet();
            entries.clear();
        }
        monitors.values().forEach(Watcher::close);
        monitors.clear();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * The server's answer to {@code g} (one key, current revision) given its answer to a plain get:
     * filters and count-only leave no key but keep the count, keys-only drops the value, and a limit
     * or sort order changes nothing for one key.
     */
    static GetResponse answer(GetResponse plain, Op.Get g) {
        if (plain.kvs().isEmpty()) {
            return plain;
        }
        KeyValue kv = plain.kvs().get(0);
        boolean none = g.countOnly()
                || g.minModRevision() > kv.modRevision()
                || (g.maxModRevision() != 0 && g.maxModRevision() < kv.modRevision())
                || g.minCreateRevision() > kv.createRevision()
                || (g.maxCreateRevision() != 0 && g.maxCreateRevision() < kv.createRevision());
        if (none) {
            return new GetResponse(plain.header(), List.of(), false, plain.count());
        }
        if (g.keysOnly()) {
            KeyValue key = new KeyValue(kv.key(), Bytes.EMPTY, kv.createRevision(), kv.modRevision(), kv.version(), kv.lease());
            return new GetResponse(plain.header(), List.of(key), false, plain.count());
        }
        return plain;
    }

    static boolean inRange(Bytes k, Bytes key, Bytes end) {
        if (end.isEmpty()) {
            return k.equals(key);
        }
        return k.compareTo(key) >= 0 && (end.equals(Bytes.ZERO) || k.compareTo(end) < 0);
    }
}
