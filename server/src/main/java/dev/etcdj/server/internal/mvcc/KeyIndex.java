package dev.etcdj.server.internal.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * In-memory index: key → every revision (main, sub, tombstone?) still stored for it, oldest first.
 * Rebuilt from the backend on start. Readers share a read lock; the single apply thread takes the
 * write lock for each change.
 */
final class KeyIndex {
    /** One stored revision of a key. */
    record Entry(byte[] key, long main, long sub) {
    }

    private static final class History {
        long[] mains = new long[2];
        long[] subs = new long[2];
        boolean[] tombs = new boolean[2];
        int n;

        void add(long main, long sub, boolean tomb) {
            if (n == mains.length) {
                int cap = n * 2;
                mains = Arrays.copyOf(mains, cap);
                subs = Arrays.copyOf(subs, cap);
                tombs = Arrays.copyOf(tombs, cap);
            }
            mains[n] = main;
            subs[n] = sub;
            tombs[n] = tomb;
            n++;
        }

        /** Index of the last entry with main ≤ rev, or -1. */
        int floor(long rev) {
            int lo = 0;
            int hi = n - 1;
            int ans = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (mains[mid] <= rev) {
                    ans = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return ans;
        }

        void dropFirst(int k) {
            System.arraycopy(mains, k, mains, 0, n - k);
            System.arraycopy(subs, k, subs, 0, n - k);
            System.arraycopy(tombs, k, tombs, 0, n - k);
            n -= k;
        }
    }

    private final TreeMap<ByteKey, History> map = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    void add(byte[] key, long main, long sub, boolean tombstone) {
        lock.writeLock().lock();
        try {
            map.computeIfAbsent(ByteKey.wrap(key), k -> new History()).add(main, sub, tombstone);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The live revision of key at rev, or null if absent or deleted. */
    Entry get(byte[] key, long rev) {
        lock.readLock().lock();
        try {
            History h = map.get(ByteKey.wrap(key));
            return h == null ? null : alive(key, h, rev);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static Entry alive(byte[] key, History h, long rev) {
        int i = h.floor(rev);
        if (i < 0 || h.tombs[i]) {
            return null;
        }
        return new Entry(key, h.mains[i], h.subs[i]);
    }

    /** Live revisions in the range at rev, in key order; stops collecting after max (but counts all). */
    List<Entry> range(KeyRange r, long rev, int max, long[] countOut) {
        List<Entry> out = new ArrayList<>();
        if (r.isEmpty()) {
            countOut[0] = 0;
            return out;
        }
        lock.readLock().lock();
        try {
            if (r.isSingle()) {
                Entry e = get(r.key(), rev);
                if (e != null) {
                    out.add(e);
                }
                countOut[0] = out.size();
                return out;
            }
            NavigableMap<ByteKey, History> sub = r.isUnbounded()
                    ? map.tailMap(ByteKey.wrap(r.key()), true)
                    : map.subMap(ByteKey.wrap(r.key()), true, ByteKey.wrap(r.end()), false);
            long count = 0;
            for (Map.Entry<ByteKey, History> me : sub.entrySet()) {
                Entry e = alive(me.getKey().bytes(), me.getValue(), rev);
                if (e != null) {
                    count++;
                    if (max <= 0 || out.size() < max) {
                        out.add(e);
                    }
                }
            }
            countOut[0] = count;
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Drops history at or below rev: per key, keeps the newest revision ≤ rev unless it is a
     * tombstone. Returns the dropped (main, sub) pairs, for the backend to delete.
     */
    List<long[]> compact(long rev) {
        List<long[]> dropped = new ArrayList<>();
        lock.writeLock().lock();
        try {
            Iterator<Map.Entry<ByteKey, History>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                History h = it.next().getValue();
                int i = h.floor(rev);
                if (i < 0) {
                    continue;
                }
                int drop = h.tombs[i] ? i + 1 : i;
                for (int j = 0; j < drop; j++) {
                    dropped.add(new long[] {h.mains[j], h.subs[j]});
                }
                if (drop > 0) {
                    h.dropFirst(drop);
                }
                if (h.n == 0) {
                    it.remove();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        return dropped;
    }

    /** Revisions kept for keys in (compactRev, rev] plus the compaction keep-set: for HashKV. */
    java.util.Set<Long> keepSet(long compactRev) {
        java.util.Set<Long> keep = new java.util.HashSet<>();
        lock.readLock().lock();
        try {
            for (History h : map.values()) {
                int i = h.floor(compactRev);
                if (i >= 0 && !h.tombs[i]) {
                    keep.add(h.mains[i] * 1_000_003L + h.subs[i]);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return keep;
    }

    int size() {
        lock.readLock().lock();
        try {
            return map.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
