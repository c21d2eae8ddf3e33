package dev.etcdj.server.internal.snapshot;

import dev.etcdj.server.internal.snapshot.bbolt.BoltReader;
import dev.etcdj.server.SnapshotException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What etcdctl does with a snapshot file before and instead of a server: its integrity trailer
 * (SHA-256 of the database, present when size % 512 == 32) and {@code snapshot status}.
 * Failures are {@link SnapshotException}s carrying etcdctl's text.
 */
public final class SnapshotFile {
    private static final int SHA_SIZE = 32;

    /** hash = CRC-32C over bucket names and entries; revision = last revision key; size without trailer. */
    public record Status(long hash, long revision, long totalKey, long totalSize) {
    }

    private SnapshotFile() {
    }

    /** etcd's hasChecksum: 512 is the smallest disk sector and divides every page size. */
    public static boolean hasTrailer(long size) {
        return size % 512 == SHA_SIZE;
    }

    /**
     * Checks the trailer as etcdctl's restore does: with skipHashCheck a missing trailer is fine;
     * otherwise it must be there and match. Returns the database size (without the trailer).
     */
    public static long verify(Path file, boolean skipHashCheck) throws IOException, SnapshotException {
        long size = size(file);
        boolean has = hasTrailer(size);
        long db = has ? size - SHA_SIZE : size;
        if (!has && !skipHashCheck) {
            throw new SnapshotException("snapshot missing hash but --skip-hash-check=false");
        }
        if (has && !skipHashCheck) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] expected;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[64 * 1024];
                long left = db;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new SnapshotException("unexpected EOF");
                    }
                    sha.update(buf, 0, n);
                    left -= n;
                }
                expected = in.readNBytes(SHA_SIZE);
            }
            byte[] got = sha.digest();
            if (!java.util.Arrays.equals(expected, got)) {
                throw new SnapshotException("expected sha256 " + goBytes(expected) + ", got " + goBytes(got));
            }
        }
        return db;
    }

    /** Go's %v of a []byte: [1 2 3]. */
    private static String goBytes(byte[] b) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < b.length; i++) {
            s.append(i == 0 ? "" : " ").append(b[i] & 0xff);
        }
        return s.append(']').toString();
    }

    private static long size(Path file) throws IOException, SnapshotException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotException("stat " + file + ": no such file or directory");
        }
    }

    /** etcdctl's {@code snapshot status}: checks the file as bbolt's Tx.Check does, then hashes it. */
    public static Status status(Path file) throws IOException, SnapshotException {
        size(file);
        try (BoltReader db = BoltReader.open(file)) {
            List<String> errors = db.check();
            if (!errors.isEmpty()) {
                throw new SnapshotException("snapshot file integrity check failed. " + errors.size()
                        + " errors found.\n" + String.join("\n", errors));
            }
            CRC32C crc = new CRC32C();
            long[] revision = {0};
            long[] keys = {0};
            List<String> notBuckets = new ArrayList<>();
            db.forEachRoot((name, value, bucket) -> {
                if (!bucket) {
                    notBuckets.add(new String(name, java.nio.charset.StandardCharsets.UTF_8));
                    return;
                }
                if (!notBuckets.isEmpty()) {
                    return;
                }
                crc.update(name);
                boolean keyBucket = java.util.Arrays.equals(name, EtcdLayout.bytes(EtcdLayout.KEY));
                db.forEach(value, (k, v, nested) -> {
                    crc.update(k);
                    if (!nested) {
                        crc.update(v);
                    }
                    if (keyBucket && k.length >= EtcdLayout.REV_BYTES) {
                        revision[0] = EtcdLayout.main(k);
                    }
                    keys[0]++;
                });
            });
            if (!notBuckets.isEmpty()) {
                throw new SnapshotException("cannot get hash of bucket " + notBuckets.get(0));
            }
            return new Status(crc.getValue(), revision[0], keys[0], db.size());
        } catch (dev.etcdj.server.internal.snapshot.bbolt.BoltFormatException e) {
            throw new SnapshotException(e.getMessage());
        }
    }
}
