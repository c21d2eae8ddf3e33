package dev.etcdj.server.internal.snapshot.bbolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer → reader round trips over the shapes bbolt has: inline buckets, multi-level trees, overflow pages. */
class BoltCodecTest {
    @TempDir
    Path dir;

    private static final java.util.Comparator<byte[]> ORDER = java.util.Arrays::compareUnsigned;

    private Map<String, TreeMap<byte[], byte[]>> sample() {
        Random rnd = new Random(42);
        Map<String, TreeMap<byte[], byte[]>> buckets = new TreeMap<>();
        buckets.put("empty", new TreeMap<>(ORDER));
        TreeMap<byte[], byte[]> small = new TreeMap<>(ORDER);
        small.put(bytes("k"), bytes("v"));
        buckets.put("inline", small);
        TreeMap<byte[], byte[]> big = new TreeMap<>(ORDER);
        for (int i = 0; i < 20_000; i++) {
            byte[] v = new byte[rnd.nextInt(64)];
            rnd.nextBytes(v);
            big.put(bytes(String.format("key-%08d", i)), v);
        }
        byte[] huge = new byte[3 * 4096 + 17]; // spans overflow pages
        rnd.nextBytes(huge);
        big.put(bytes("key-huge"), huge);
        big.put(new byte[5000], bytes("long key"));
        buckets.put("key", big);
        return buckets;
    }

    private Path write(Map<String, TreeMap<byte[], byte[]>> buckets) throws IOException {
        Path f = dir.resolve("db");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            BoltWriter w = new BoltWriter(ch);
            for (var b : buckets.entrySet()) {
                try (BoltWriter.BucketWriter bw = w.bucket(bytes(b.getKey()))) {
                    for (var e : b.getValue().entrySet()) {
                        bw.put(e.getKey(), e.getValue());
                    }
                }
            }
            long size = w.finish();
            assertThat(Files.size(f)).isEqualTo(size);
        }
        return f;
    }

    @Test
    void roundTripsEveryShape() throws IOException {
        Map<String, TreeMap<byte[], byte[]>> in = sample();
        Path f = write(in);
        try (BoltReader r = BoltReader.open(f)) {
            assertThat(r.check()).isEmpty();
            List<String> names = new ArrayList<>();
            r.forEachRoot((k, v, bucket) -> {
                assertThat(bucket).isTrue();
                String name = new String(k, StandardCharsets.UTF_8);
                names.add(name);
                List<byte[]> keys = new ArrayList<>();
                r.forEach(v, (kk, vv, nested) -> {
                    keys.add(kk);
                    assertThat(vv).isEqualTo(in.get(name).get(kk));
                });
                assertThat(keys).containsExactlyElementsOf(in.get(name).keySet());
                if (name.equals("inline")) {
                    assertThat(ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isZero();
                }
            });
            assertThat(names).containsExactly("empty", "inline", "key");
        }
    }

    @Test
    void badMetaPagesGiveBboltsErrors() throws IOException {
        Path f = write(sample());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 16 + 20); // meta 0's root: checksum no longer matches
        }
        try (BoltReader r = BoltReader.open(f)) { // meta 1 is still valid
            assertThat(r.check()).isEmpty();
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 4096 + 16 + 20);
        }
        assertThatThrownBy(() -> BoltReader.open(f)).hasMessage("checksum error");
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[100]);
        assertThatThrownBy(() -> BoltReader.open(junk)).hasMessage("invalid database");
    }

    @Test
    void truncatedFileFailsCleanly() throws IOException {
        Path f = write(sample());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        try (BoltReader r = BoltReader.open(f)) {
            assertThatThrownBy(r::check).isInstanceOf(BoltFormatException.class).hasMessageContaining("out of bounds");
        }
    }

    @Test
    void unreachablePagesAreReported() throws IOException {
        Path f = write(sample());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // point meta 1 (the newer) at an empty leaf: every other page becomes unreachable
            ByteBuffer m = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(m, 4096);
            long high = m.getLong(16 + 40);
            ByteBuffer leaf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            leaf.putLong(0, high).putShort(8, (short) BoltFormat.LEAF);
            ch.write(leaf, high * 4096);
            m.putLong(16 + 16, high).putLong(16 + 40, high + 1);
            m.putLong(16 + 56, BoltFormat.fnv64a(m, 16, 56));
            m.position(0);
            ch.write(m, 4096);
        }
        try (BoltReader r = BoltReader.open(f)) {
            assertThat(r.check()).contains("page 3: unreachable unfreed");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
