package dev.etcdj.server.internal.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A minimal POSIX (ustar) tar writer for snapshots: one regular file per RocksDB checkpoint file,
 * flat, names relative to the checkpoint directory. Extract with any tar tool and open the
 * directory with RocksDB (or as a data dir: see EtcdServer docs).
 */
public final class Tar {
    private Tar() {
    }

    public static void pack(Path dir, Path tarFile) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tarFile))) {
            byte[] buf = new byte[64 * 1024];
            for (Path f : files) {
                long size = Files.size(f);
                out.write(header(f.getFileName().toString(), size));
                long written = 0;
                try (var in = Files.newInputStream(f)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        written += n;
                    }
                }
                int pad = (int) ((512 - (written % 512)) % 512);
                out.write(new byte[pad]);
            }
            out.write(new byte[1024]);
        }
    }

    private static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", System.currentTimeMillis() / 1000), 12);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = '0';
        put(h, 257, "ustar", 6);
        h[263] = '0';
        h[264] = '0';
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, max));
    }
}
