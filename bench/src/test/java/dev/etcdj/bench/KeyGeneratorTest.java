package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyGeneratorTest {

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void padsToTheKeySize() {
        KeyGenerator keys = new KeyGenerator("", 8, 1000, true);
        assertThat(s(keys.keyAt(7))).isEqualTo("00000007");
        assertThat(keys.keyLength()).isEqualTo(8);
    }

    @Test
    void growsBeyondTheKeySizeWhenTheKeySpaceNeedsIt() {
        KeyGenerator keys = new KeyGenerator("p/", 4, 100_000, true);
        assertThat(s(keys.keyAt(99_999))).isEqualTo("p/99999");
    }

    @Test
    void sequentialKeysWalkAndWrap() {
        KeyGenerator keys = new KeyGenerator("k", 4, 3, true);
        SplittableRandom r = new SplittableRandom(1);
        assertThat(s(keys.key(0, r))).isEqualTo("k000");
        assertThat(s(keys.key(2, r))).isEqualTo("k002");
        assertThat(s(keys.key(3, r))).isEqualTo("k000");
    }

    @Test
    void randomKeysStayInTheKeySpaceAndCoverIt() {
        KeyGenerator keys = new KeyGenerator("", 8, 10, false);
        SplittableRandom r = new SplittableRandom(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(s(keys.key(i, r)));
        }
        assertThat(seen).hasSize(10).allMatch(k -> k.matches("0000000[0-9]"));
    }

    @Test
    void rejectsAnEmptyKeySpace() {
        assertThatThrownBy(() -> new KeyGenerator("", 8, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
