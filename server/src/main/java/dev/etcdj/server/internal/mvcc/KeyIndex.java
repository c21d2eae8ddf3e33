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

    private static final class History {
        long[] mains = new long[2];
        long[] subs = new long[2];
        boolean[] tombs = new boolean[2];
        int n;

        synchronized void add(long main, long sub, boolean tomb) {
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

        synchronized void dropFirst(int k) {
            System.arraycopy(mains, k, mains, 0, n - k);
            System.arraycopy(subs, k, subs, 0, n - k);
            System.arraycopy(tombs, k, tombs, 0, n - k);
            n -= k;
        }
    }

    private final ConcurrentSkipListMap<ByteKey, History> map = new ConcurrentSkipListMap<>();

    /** Apply thread only. */
    void add(byte[] key, long main, long sub, boolean tombstone) {
        History h = map.get(ByteKey.wrap(key));
        if (h == null) {
            h = new History();
            map.put(ByteKey.wrap(key), h);
        }
        h.add(main, sub, tombstone);
    }

    /** The live revision of key at rev, or null if absent or deleted. */
    Entry get(byte[] key, long rev) {
        History h = map.get(ByteKey.wrap(key));
        return h == null ? null : alive(key, h, rev);
    }

    private static Entry alive(byte[] key, History h, long rev) {
        synchronized (h) {
            int i = h.floor(rev);
            if (i < 0 || h.tombs[i]) {
                return null;
            }
            return new Entry(key, h.mains[i], h.subs[i]);
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
        }
    }

    /**
     * Drops history at or below rev: per key, keeps the newest revision ≤ rev unless it is a
     * tombstone. Returns the dropped (main, sub) pairs, for the backend to delete.
     */
    List<long[]> compact(long rev) {
        List<long[]> dropped = new ArrayList<>();
        Iterator<Map.Entry<ByteKey, History>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            History h = it.next().getValue();
            synchronized (h) {
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
                if (i >= 0 && !h.tombs[i]) {
                    keep.add(h.mains[i] * 1_000_003L + h.subs[i]);
                }
            }
        }
        return keep;
    }

    int size() {
        return map.size();
    }
}
