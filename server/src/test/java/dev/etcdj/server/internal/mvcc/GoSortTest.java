package dev.etcdj.server.internal.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GoSort must leave ties in exactly the order Go 1.19's sort.Sort leaves them (etcd sorts with it). */
class GoSortTest {
    private record Item(long v, long idx) {}

    /** Same inputs as gen() in the Go program quoted in gosort-go1.19.txt. */
    private static List<Item> gen(int n, long k, int pattern, long seed) {
        List<Item> out = new ArrayList<>(n);
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = (x * 1103515245L + 12345L) & 0x7fffffffL;
            long v = switch (pattern) {
                case 0 -> (x >> 16) % k;
                case 1 -> i / k;
                case 2 -> (n - i) / k;
                default -> (x >> 16) % 10 == 0 ? (x >> 16) % n : i;
            };
            out.add(new Item(v, i));
        }
        return out;
    }

    @Test
    void matchesGoPermutationsIncludingTies() throws Exception {
        int checked = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GoSortTest.class.getResourceAsStream("/gosort-go1.19.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                int n = Integer.parseInt(f[0]);
                long k = Long.parseLong(f[1]);
                int pattern = Integer.parseInt(f[2]);
                boolean desc = Boolean.parseBoolean(f[3]);
                List<Item> d = gen(n, k, pattern, n * 7L + k);
                Comparator<Item> c = Comparator.comparingLong(Item::v);
                GoSort.sort(d, desc ? c.reversed() : c);
                long h = 0;
                for (Item it : d) {
                    h = h * 31 + it.idx();
                }
                assertThat(h).as(line).isEqualTo(Long.parseLong(f[4]));
                for (int i = 1; i < d.size(); i++) {
                    assertThat(c.compare(d.get(i - 1), d.get(i)) * (desc ? -1 : 1)).as(line).isLessThanOrEqualTo(0);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(320);
    }
}
