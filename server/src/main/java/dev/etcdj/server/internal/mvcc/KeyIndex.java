package dev.etcdj.server.internal.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * In-memory index: key → every revision (main, sub, tombstone?) still stored for it, oldest first.
 * Rebuilt from the backend on start. Only the apply thread changes it; readers never block it: the
 * key map is a concurrent skip list and each key's history is guarded by its own monitor. A reader
 * at revision R only looks at entries ≤ R, which later appends never change and compaction (at a
 * revision ≤ R) never removes in a way that changes the answer at R.
 */
final class KeyIndex {
    /** One stored revision of a key. */
    record Entry(byte[] key, long main, long sub) {
    }

    /**
     * A key's revisions, oldest first, packed two longs each in one array: {@code main}, then
     * {@code sub << 1 | tombstone}. Most keys have one revision: one small object and one 32-byte
     * array per key (three arrays and a key wrapper before, about twice the heap for 100k keys).
     */
    private static final class History {
        long[] revs = new long[2];
        int n;

        synchronized void add(long main, long sub, boolean tomb) {
            if (2 * n == revs.length) {
                revs = Arrays.copyOf(revs, 4 * n);
            }
            revs[2 * n] = main;
            revs[2 * n + 1] = sub << 1 | (tomb ? 1 : 0);
            n++;
        }

        long main(int i) {
            return revs[2 * i];
        }

        long sub(int i) {
            return revs[2 * i + 1] >>> 1;
        }

        boolean tomb(int i) {
            return (revs[2 * i + 1] & 1) != 0;
        }

        /** Index of the last entry with main ≤ rev, or -1. */
        int floor(long rev) {
            int lo = 0;
            int hi = n - 1;
            int ans = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (main(mid) <= rev) {
                    ans = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return ans;
        }

        synchronized void dropFirst(int k) {
            System.arraycopy(revs, 2 * k, revs, 0, 2 * (n - k));
            n -= k;
        }
    }

    /** Keys are the stored byte arrays themselves (never changed), in etcd's unsigned order. */
    private final ConcurrentSkipListMap<byte[], History> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    /** Apply thread only. */
    void add(byte[] key, long main, long sub, boolean tombstone) {
        History h = map.get(key);
        if (h == null) {
            h = new History();
            map.put(key, h);
        }
        h.add(main, sub, tombstone);
    }

    /**
     * {@link #add} for the start-up rebuild, where most revisions are a key's first: one search of the
     * skip list for a new key, not a look-up and then an insertion (the key's history is made before
     * knowing it is new; a key met again wastes one small object).
     */
    void restore(byte[] key, long main, long sub, boolean tombstone) {
        History fresh = new History();
        History h = map.putIfAbsent(key, fresh);
        (h == null ? fresh : h).add(main, sub, tombstone);
    }

    /** The live revision of key at rev, or null if absent or deleted. */
    Entry get(byte[] key, long rev) {
        History h = map.get(key);
        return h == null ? null : alive(key, h, rev);
    }

    private static Entry alive(byte[] key, History h, long rev) {
        synchronized (h) {
            int i = h.floor(rev);
            if (i < 0 || h.tomb(i)) {
                return null;
            }
            return new Entry(key, h.main(i), h.sub(i));
        }
    }

    /** Live revisions in the range at rev, in key order; stops collecting after max (but counts all). */
    List<Entry> range(KeyRange r, long rev, int max, long[] countOut) {
        List<Entry> out = new ArrayList<>();
        if (r.isEmpty()) {
            countOut[0] = 0;
            return out;
        }
        {
            if (r.isSingle()) {
                Entry e = get(r.key(), rev);
                if (e != null) {
                    out.add(e);
                }
                countOut[0] = out.size();
                return out;
            }
            NavigableMap<byte[], History> sub = r.isUnbounded()
                    ? map.tailMap(r.key(), true)
                    : map.subMap(r.key(), true, r.end(), false);
            long count = 0;
            for (Map.Entry<byte[], History> me : sub.entrySet()) {
                Entry e = alive(me.getKey(), me.getValue(), rev);
                if (e != null) {
                    count++;
                    if (max <= 0 || out.size() < max) {
                        out.add(e);
                    }
                }
            }
            countOut[0] = count;
            return out;
        }
    }

    /**
     * Drops history at or below rev: per key, keeps the newest revision ≤ rev unless it is a
     * tombstone. Returns the dropped (main, sub) pairs, for the backend to delete.
     */
    List<long[]> compact(long rev) {
        List<long[]> dropped = new ArrayList<>();
        Iterator<Map.Entry<byte[], History>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            History h = it.next().getValue();
            synchronized (h) {
                int i = h.floor(rev);
                if (i < 0) {
                    continue;
                }
                int drop = h.tomb(i) ? i + 1 : i;
                for (int j = 0; j < drop; j++) {
                    dropped.add(new long[] {h.main(j), h.sub(j)});
                }
                if (drop > 0) {
                    h.dropFirst(drop);
                }
                if (h.n == 0) {
                    it.remove();
                }
            }
        }
        return dropped;
    }

    /**
     * etcd's Keep(rev): per key, the newest revision ≤ rev unless it is a tombstone, encoded as
     * {@code main * 1_000_003 + sub}: the revisions a compaction at rev would keep. For HashKV.
     */
    java.util.Set<Long> keepSet(long rev) {
        java.util.Set<Long> keep = new java.util.HashSet<>();
        for (History h : map.values()) {
            synchronized (h) {
                int i = h.floor(rev);
                if (i >= 0 && !h.tomb(i)) {
                    keep.add(h.main(i) * 1_000_003L + h.sub(i));
                }
            }
        }
        return keep;
    }

    int size() {
        return map.size();
    }
}
