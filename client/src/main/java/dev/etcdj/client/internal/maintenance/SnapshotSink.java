package dev.etcdj.client.internal.maintenance;

import dev.etcdj.client.EtcdException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Receives a snapshot stream chunk by chunk: the member's database followed by the 32-byte SHA-256
 * of it. Everything goes to the output as it arrives except the last 32 bytes seen so far, which
 * are held back because any of them may turn out to be the hash. At the end they must equal the
 * digest of everything before them; only then are they written too, so the output is exactly what
 * {@code etcdctl snapshot save} writes and what {@code etcdctl snapshot restore} checks.
 *
 * <p>The hash is not assumed to come as its own message: only the byte stream counts.
 */
final class SnapshotSink {

    static final int HASH_SIZE = 32;

    private final OutputStream out;
    private final MessageDigest sha256;
    private final byte[] held = new byte[HASH_SIZE];
    private int heldLength;
    private long dataBytes;

    SnapshotSink(OutputStream out) {
        this.out = out;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Takes the next chunk of the stream. */
    void accept(byte[] chunk) throws IOException {
        int total = heldLength + chunk.length;
        int release = Math.max(0, total - HASH_SIZE); // bytes now known not to belong to the hash
        // First from the held-back bytes (they are older), then from the chunk.
        int fromHeld = Math.min(release, heldLength);
        if (fromHeld > 0) {
            emit(held, 0, fromHeld);
            System.arraycopy(held, fromHeld, held, 0, heldLength - fromHeld);
            heldLength -= fromHeld;
        }
        int fromChunk = release - fromHeld;
        if (fromChunk > 0) {
            emit(chunk, 0, fromChunk);
        }
        System.arraycopy(chunk, fromChunk, held, heldLength, chunk.length - fromChunk);
        heldLength += chunk.length - fromChunk;
    }

    /**
     * Checks the trailing hash and writes it; returns the size of the database (the bytes before the
     * hash).
     *
     * @throws EtcdException (DATA_LOSS) when the stream is shorter than a hash or the hash differs
     */
    long finish() throws IOException {
        if (heldLength < HASH_SIZE) {
            throw new EtcdException(EtcdException.Code.DATA_LOSS,
                    "snapshot ended after " + (dataBytes + heldLength) + " bytes, before its SHA-256");
        }
        byte[] expected = sha256.digest();
        if (!MessageDigest.isEqual(expected, held)) {
            throw new EtcdException(EtcdException.Code.DATA_LOSS, "snapshot SHA-256 mismatch: the server sent "
                    + hex(held) + ", the " + dataBytes + " bytes received hash to " + hex(expected));
        }
        out.write(held, 0, HASH_SIZE);
        out.flush();
        return dataBytes;
    }

    /** Bytes handed to the output so far. */
    long written() {
        return dataBytes;
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        sha256.update(b, off, len);
        out.write(b, off, len);
        dataBytes += len;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
