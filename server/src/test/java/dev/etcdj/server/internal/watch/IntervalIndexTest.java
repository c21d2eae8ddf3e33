package dev.etcdj.server.internal.watch;

import dev.etcdj.server.internal.mvcc.KeyRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntervalIndexTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> stab(IntervalIndex<String> idx, String key) {
        return stab(idx, b(key));
    }

    private static List<String> stab(IntervalIndex<String> idx, byte[] key) {
        List<String> out = new ArrayList<>();
        idx.forEachContaining(key, out::add);
        return out;
    }

    /** etcd's prefix end: the prefix with its last byte below 0xff incremented, the rest dropped. */
    private static byte[] prefixEnd(byte[] p) {
        for (int i = p.length - 1; i >= 0; i--) {
            if (p[i] != (byte) 0xff) {
                byte[] end = java.util.Arrays.copyOf(p, i + 1);
                end[i]++;
                return end;
            }
        }
        return null; // all 0xff: every key from p on
    }

    @Test
    void prefixRangeIncludesItsKeysOnly() {
        IntervalIndex<String> idx = new IntervalIndex<>();
        idx.add(b("foo/"), prefixEnd(b("foo/")), "prefix");
        assertThat(stab(idx, "foo/")).containsExactly("prefix");
        assertThat(stab(idx, "foo/bar")).containsExactly("prefix");
        assertThat(stab(idx, "foo/\u00ff")).containsExactly("prefix");
        assertThat(stab(idx, "foo")).isEmpty();
        assertThat(stab(idx, "foo0")).isEmpty(); // '0' = '/' + 1: the exclusive end
        assertThat(stab(idx, "fop")).isEmpty();
        assertThat(stab(idx, "a")).isEmpty();
    }

    @Test
    void prefixOfHighBytesEndsAtTheLastByteBelowFf() {
        IntervalIndex<String> idx = new IntervalIndex<>();
        byte[] p = {'a', (byte) 0xff};
        idx.add(p, prefixEnd(p), "p"); // end "b"
        assertThat(stab(idx, new byte[] {'a', (byte) 0xff, 0})).containsExactly("p");
        assertThat(stab(idx, new byte[] {'a', (byte) 0xfe})).isEmpty();
        assertThat(stab(idx, "b")).isEmpty();
    }

    @Test
    void rangeIsHalfOpen() {
        IntervalIndex<String> idx = new IntervalIndex<>();
        idx.add(b("b"), b("d"), "bd");
        assertThat(stab(idx, "a")).isEmpty();
        assertThat(stab(idx, "b")).containsExactly("bd");
        assertThat(stab(idx, "c\u00ff\u00ff")).containsExactly("bd");
        assertThat(stab(idx, "d")).isEmpty();
    }

    @Test
    void fromKeyAndAllKeysAreUnbounded() {
        IntervalIndex<String> idx = new IntervalIndex<>();
        idx.add(b("m"), null, "from-m");
        idx.add(new byte[] {0}, null, "all"); // etcd's key "\0" with range end "\0"
        assertThat(stab(idx, "a")).containsExactly("all");
        assertThat(stab(idx, new byte[] {0})).containsExactly("all");
        assertThat(stab(idx, "m")).containsExactlyInAnyOrder("from-m", "all");
        assertThat(stab(idx, new byte[] {(byte) 0xff, (byte) 0xff})).containsExactlyInAnyOrder("from-m", "all");
    }

    @Test
    void singleKeyAsAMinimalInterval() {
        IntervalIndex<String> idx = new IntervalIndex<>();
        idx.add(b("k"), b("k\0"), "k");
        assertThat(stab(idx, "k")).containsExactly("k");
        assertThat(stab(idx, "k\0")).isEmpty();
        assertThat(stab(idx, "j\u00ff")).isEmpty();
    }

    @Test
    void equalIntervalsShareANodeAndRemovalIsPerValue() {
        IntervalIndex<String> idx = new IntervalIndex<>();
        assertThat(idx.add(b("a"), b("c"), "w1")).isTrue();
        assertThat(idx.add(b("a"), b("c"), "w2")).isTrue();
        assertThat(idx.add(b("a"), b("c"), "w1")).isFalse();
        idx.add(b("a"), null, "w3"); // same start, other end: another interval
        assertThat(idx.size()).isEqualTo(3);
        assertThat(idx.intervals()).isEqualTo(2);
        assertThat(stab(idx, "b")).containsExactlyInAnyOrder("w1", "w2", "w3");

        assertThat(idx.remove(b("a"), b("c"), "w1")).isTrue();
        assertThat(idx.remove(b("a"), b("c"), "w1")).isFalse();
        assertThat(idx.remove(b("a"), b("d"), "w2")).isFalse(); // wrong interval
        assertThat(stab(idx, "b")).containsExactlyInAnyOrder("w2", "w3");
        assertThat(idx.remove(b("a"), b("c"), "w2")).isTrue();
        assertThat(idx.intervals()).isEqualTo(1);
        assertThat(stab(idx, "b")).containsExactly("w3");
        assertThat(idx.remove(b("a"), null, "w3")).isTrue();
        assertThat(idx.isEmpty()).isTrue();
        assertThat(idx.intervals()).isZero();
        assertThat(stab(idx, "b")).isEmpty();
    }

    /** Random intervals, inserts and removals against a brute-force check of each interval. */
    @Test
    void matchesBruteForceUnderRandomChurn() {
        Random rnd = new Random(42);
        IntervalIndex<String> idx = new IntervalIndex<>();
        List<Object[]> live = new ArrayList<>(); // {start, end, value}
        for (int step = 0; step < 4000; step++) {
            if (live.isEmpty() || rnd.nextInt(3) > 0) {
                byte[] start = randomKey(rnd);
                byte[] end;
                int kind = rnd.nextInt(4);
                if (kind == 0) {
                    end = null;
                } else if (kind == 1) {
                    end = prefixEnd(start);
                } else {
                    end = randomKey(rnd);
                    if (java.util.Arrays.compareUnsigned(end, start) <= 0) {
                        end = prefixEnd(start);
                    }
                }
                String v = "v" + step;
                assertThat(idx.add(start, end, v)).isTrue();
                live.add(new Object[] {start, end, v});
            } else {
                Object[] gone = live.remove(rnd.nextInt(live.size()));
                assertThat(idx.remove((byte[]) gone[0], (byte[]) gone[1], (String) gone[2])).isTrue();
            }
            assertThat(idx.size()).isEqualTo(live.size());
            if (step % 20 == 0) {
                for (int q = 0; q < 20; q++) {
                    byte[] key = randomKey(rnd);
                    Set<String> want = new HashSet<>();
                    for (Object[] iv : live) {
                        byte[] s = (byte[]) iv[0];
                        byte[] e = (byte[]) iv[1];
                        if (java.util.Arrays.compareUnsigned(s, key) <= 0
                                && (e == null || java.util.Arrays.compareUnsigned(key, e) < 0)) {
                            want.add((String) iv[2]);
                        }
                    }
                    List<String> got = stab(idx, key);
                    assertThat(got).doesNotHaveDuplicates();
                    assertThat(new HashSet<>(got)).as("key %s", new String(key, StandardCharsets.ISO_8859_1))
                            .isEqualTo(want);
                }
            }
        }
        List<String> all = new ArrayList<>();
        idx.forEach(all::add);
        assertThat(all).hasSize(live.size());
    }

    private static byte[] randomKey(Random rnd) {
        byte[] k = new byte[1 + rnd.nextInt(3)];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) "abc\u00ff".charAt(rnd.nextInt(4)); // few symbols: many shared prefixes and ties
        }
        return k;
    }

    @Test
    void watcherIndexCombinesSingleKeysAndRanges() {
        WatcherIndex idx = new WatcherIndex();
        Watcher single = watcher(1, KeyRange.of(b("k1"), new byte[0]));
        Watcher otherSingle = watcher(2, KeyRange.of(b("k2"), new byte[0]));
        Watcher prefix = watcher(3, KeyRange.of(b("k"), b("l")));
        Watcher fromKey = watcher(4, KeyRange.of(b("k2"), new byte[] {0}));
        Watcher range = watcher(5, KeyRange.of(b("a"), b("k1")));
        for (Watcher w : List.of(single, otherSingle, prefix, fromKey, range)) {
            idx.add(w);
        }
        assertThat(idx.size()).isEqualTo(5);
        assertThat(match(idx, "k1")).containsExactlyInAnyOrder(single, prefix);
        assertThat(match(idx, "k2")).containsExactlyInAnyOrder(otherSingle, prefix, fromKey);
        assertThat(match(idx, "k0")).containsExactlyInAnyOrder(prefix, range);
        assertThat(match(idx, "z")).containsExactly(fromKey);

        assertThat(idx.remove(single)).isTrue();
        assertThat(idx.remove(single)).isFalse();
        assertThat(idx.remove(prefix)).isTrue();
        assertThat(match(idx, "k1")).isEmpty();
        assertThat(match(idx, "k2")).containsExactlyInAnyOrder(otherSingle, fromKey);
        List<Watcher> all = new ArrayList<>();
        idx.forEach(all::add);
        assertThat(all).containsExactlyInAnyOrder(otherSingle, fromKey, range);
        assertThat(idx.size()).isEqualTo(3);
    }

    private static Watcher watcher(long id, KeyRange r) {
        return new Watcher(null, id, r, 1, false, false, false, false, false);
    }

    private static List<Watcher> match(WatcherIndex idx, String key) {
        List<Watcher> out = new ArrayList<>();
        idx.forEachMatch(b(key), out::add);
        return out;
    }
}
