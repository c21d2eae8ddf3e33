package dev.etcdj.client.internal.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class SnapshotSinkTest {

    private static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Feeds the stream in pieces of the given sizes (cycled), as the server's messages would. */
    private static long feed(SnapshotSink sink, byte[] stream, int... sizes) throws IOException {
        int off = 0;
        for (int i = 0; off < stream.length; i++) {
            int n = Math.min(sizes[i % sizes.length], stream.length - off);
            sink.accept(Arrays.copyOfRange(stream, off, off + n));
            off += n;
        }
        return sink.finish();
    }

    @Test
    void hashAsItsOwnLastMessageLikeEtcd() throws Exception {
        byte[] db = data(100_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotSink sink = new SnapshotSink(out);
        for (int off = 0; off < db.length; off += 32 * 1024) {
            sink.accept(Arrays.copyOfRange(db, off, Math.min(db.length, off + 32 * 1024)));
        }
        sink.accept(sha256(db));

        assertThat(sink.finish()).isEqualTo(db.length);
        assertThat(out.toByteArray()).isEqualTo(concat(db, sha256(db)));
    }

    @Test
    void hashSplitAcrossOddChunksIncludingEmptyOnes() throws Exception {
        byte[] db = data(1000);
        byte[] stream = concat(db, sha256(db));
        for (int[] sizes : new int[][] {{1}, {7, 0, 31}, {33}, {31, 1}, {1000, 5}, {stream.length}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(feed(new SnapshotSink(out), stream, sizes)).as(Arrays.toString(sizes)).isEqualTo(1000);
            assertThat(out.toByteArray()).isEqualTo(stream);
        }
    }

    @Test
    void wrongHashFailsAndIsNotWritten() throws Exception {
        byte[] db = data(5000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertFinishFails(out, db, damaged(sha256(db), 3, 1))
                .satisfies(e -> assertThat(((EtcdException) e).code()).isEqualTo(EtcdException.Code.DATA_LOSS))
                .hasMessageContaining("SHA-256 mismatch");
        assertThat(out.toByteArray()).isEqualTo(db);
    }

    @Test
    void corruptedDataFails() throws Exception {
        byte[] db = data(5000);
        assertFinishFails(new ByteArrayOutputStream(), damaged(db, 4000, 0x40), sha256(db)).hasMessageContaining("mismatch");
    }

    @Test
    void streamShorterThanAHashFails() throws Exception {
        SnapshotSink sink = new SnapshotSink(new ByteArrayOutputStream());
        sink.accept(new byte[20]);

        assertThatThrownBy(sink::finish).isInstanceOf(EtcdException.class)
                .hasMessageContaining("before its SHA-256");
    }

    @Test
    void emptyDatabaseIsJustTheHashOfNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotSink sink = new SnapshotSink(out);
        sink.accept(sha256(new byte[0]));

        assertThat(sink.finish()).isZero();
        assertThat(out.toByteArray()).isEqualTo(sha256(new byte[0]));
    }

    /** A copy of {@code bytes} with {@code bits} flipped in the byte at {@code at}. */
    private static byte[] damaged(byte[] bytes, int at, int bits) {
        byte[] copy = bytes.clone();
        copy[at] ^= bits;
        return copy;
    }

    /** A sink writing to {@code out} is given the database and then the hash: finishing it fails. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertFinishFails(OutputStream out, byte[] db,
            byte[] hash) throws IOException {
        SnapshotSink sink = new SnapshotSink(out);
        sink.accept(db);
        sink.accept(hash);
        return assertThatThrownBy(sink::finish).isInstanceOf(EtcdException.class);
    }
}
