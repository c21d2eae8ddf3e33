package dev.etcdj.server.internal.watch;

import dev.etcdj.server.internal.mvcc.ByteKey;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The synced watchers by key, as etcd keeps them: single-key watchers in a hash map, range, prefix
 * and from-key watchers in an {@link IntervalIndex}, so finding the watchers of an event costs a
 * lookup, not a test of every watcher. Not thread-safe: the hub guards it with its lock.
 */
final class WatcherIndex {
    private final Map<ByteKey, Set<Watcher>> single = new HashMap<>();
    private final IntervalIndex<Watcher> ranges = new IntervalIndex<>();
    private int singles;

    void add(Watcher w) {
        if (w.isSingleKey()) {
            if (single.computeIfAbsent(ByteKey.wrap(w.range.key()), k -> new LinkedHashSet<>()).add(w)) {
                singles++;
            }
        } else {
            ranges.add(w.range.key(), w.range.end(), w);
        }
    }

    boolean remove(Watcher w) {
        if (!w.isSingleKey()) {
            return ranges.remove(w.range.key(), w.range.end(), w);
        }
        ByteKey k = ByteKey.wrap(w.range.key());
        Set<Watcher> s = single.get(k);
        if (s == null || !s.remove(w)) {
            return false;
        }
        singles--;
        if (s.isEmpty()) {
            single.remove(k);
        }
        return true;
    }

    /** Calls out with every watcher whose key or range holds key (event type filters not applied). */
    void forEachMatch(byte[] key, Consumer<? super Watcher> out) {
        if (singles > 0) {
            Set<Watcher> s = single.get(ByteKey.wrap(key));
            if (s != null) {
                for (Watcher w : s) {
                    out.accept(w);
                }
            }
        }
        if (!ranges.isEmpty()) {
            ranges.forEachContaining(key, out);
        }
    }

    void forEach(Consumer<? super Watcher> out) {
        for (Set<Watcher> s : single.values()) {
            s.forEach(out);
        }
        ranges.forEach(out);
    }

    int size() {
        return singles + ranges.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }
}
