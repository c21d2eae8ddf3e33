package dev.etcdj.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.DefragmentRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Disk faults users meet, on our server and on real etcd 3.4.23 in the same case: a file system
 * that fills up, one that turns read-only while serving, a corrupted file at start-up. What each
 * does is asserted for etcdj and recorded for both in {@code target/disk-faults.txt}; the
 * property both must keep is that no acknowledged write is lost. Needs root (mounts); skipped otherwise.
 */
class DiskFaultIT {
    private static final List<String> RECORD = new ArrayList<>();
    private static final byte[] VALUE = new byte[256 * 1024];

    static {
        new Random(42).nextBytes(VALUE);
    }

    @AfterAll
    static void writeRecord() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/disk-faults.txt"), RECORD);
    }

    private static void record(Node n, String fault, String what) {
        String line = n.name() + " | " + fault + " | " + what;
        System.out.println(line);
        RECORD.add(line);
    }

    // ------------------------------------------------------------------ full file system

    @Test
    void fullFileSystemEtcdj() throws Exception {
        fullFileSystem(false);
    }

    @Test
    void fullFileSystemEtcd() throws Exception {
        fullFileSystem(true);
    }

    private void fullFileSystem(boolean etcd) throws Exception {
        Mounts.assumeRoot();
        Path mnt = Mounts.tmpfs(160);
        Path logDir = Files.createTempDirectory("etcdj-diskfault-");
        try (Node n = new Node(etcd, mnt.resolve("data"), logDir.resolve("log"))) {
            n.start();
            Map<String, Long> acked = new LinkedHashMap<>();
            acked.put("before", n.put("before", VALUE));
            Path filler = mnt.resolve("filler");
            Mounts.fill(filler);
            String error = writeUntilFailure(n, acked, "full-", 2000);
            record(n, "disk full", acked.size() + " puts of 256 KiB acknowledged, then: " + error);
            if (etcd) {
                Integer code = n.awaitExit(30);
                record(n, "disk full", "process exit code " + code + "; log: "
                        + n.firstLogLine("no space left", "panic"));
                assertThat(code).as("etcd 3.4 exits when it cannot commit").isNotNull();
            } else {
                assertThat(error).contains("etcdserver: storage failure, writes are refused until restart")
                        .contains("No space left on device");
                assertThat(n.alive()).isTrue();
                assertThat(n.get("before").getKvs(0).getValue().size()).as("reads keep working").isEqualTo(VALUE.length);
                Files.delete(filler);
                String after = writeUntilFailure(n, acked, "freed-", 1);
                record(n, "disk full", "reads keep working; after space returns, writes still refused until restart: " + after);
                assertThat(after).contains("writes are refused until restart");
            }
            Files.deleteIfExists(filler);
            n.kill();
            n.start();
            verify(n, acked);
            n.put("after-restart", VALUE);
            record(n, "disk full", "after freeing space and restarting: all " + acked.size()
                    + " acknowledged writes present with their revisions; writes accepted again");
        } finally {
            Mounts.umount(mnt);
            Backend.deleteRecursively(logDir);
        }
    }

    // ------------------------------------------------------------------ read-only file system

    @Test
    void readOnlyFileSystemEtcdj() throws Exception {
        readOnlyFileSystem(false);
    }

    @Test
    void readOnlyFileSystemEtcd() throws Exception {
        readOnlyFileSystem(true);
    }

    private void readOnlyFileSystem(boolean etcd) throws Exception {
        Mounts.assumeRoot();
        Path work = Files.createTempDirectory("etcdj-diskfault-");
        Path image = work.resolve("fs.img");
        Path mnt = Mounts.ext4(image, 256);
        try (Node n = new Node(etcd, mnt.resolve("data"), work.resolve("log"))) {
            n.start();
            Map<String, Long> acked = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                acked.put("ro-" + i, n.put("ro-" + i, VALUE));
            }
            Mounts.failToReadOnly(mnt);
            Mounts.awaitReadOnly(mnt);
            String error = writeUntilFailure(n, acked, "late-", 200);
            record(n, "read-only fs", "after the fs turned read-only: " + error);
            if (etcd) {
                Integer code = n.awaitExit(30);
                record(n, "read-only fs", "process exit code " + code + "; log: "
                        + n.firstLogLine("read-only file system", "panic", " C | "));
            } else {
                assertThat(error).contains("etcdserver: storage failure, writes are refused until restart");
                assertThat(n.alive()).isTrue();
                assertThat(n.get("ro-0").getKvs(0).getValue().size()).as("reads keep working").isEqualTo(VALUE.length);
                record(n, "read-only fs", "process keeps running, reads served, every write refused");
            }
            n.kill();
            Mounts.umount(mnt);
            Files.createDirectories(mnt);
            Mounts.fsck(image);
            Mounts.mountExt4(image, mnt);
            n.start();
            verify(n, acked);
            record(n, "read-only fs", "after fsck and a read-write mount: all " + acked.size()
                    + " acknowledged writes present");
        } finally {
            Mounts.umount(mnt);
            Backend.deleteRecursively(work);
        }
    }

    // ------------------------------------------------------------------ corrupted files at start-up

    @Test
    void corruptedFilesEtcdj() throws Exception {
        corruptedFiles(false);
    }

    @Test
    void corruptedFilesEtcd() throws Exception {
        corruptedFiles(true);
    }

    private void corruptedFiles(boolean etcd) throws Exception {
        Path work = Files.createTempDirectory("etcdj-diskfault-");
        try {
            Path pristine = work.resolve("pristine");
            Map<String, Long> acked = new LinkedHashMap<>();
            try (Node n = new Node(etcd, pristine, work.resolve("log-pristine"))) {
                n.start();
                for (int i = 0; i < 40; i++) {
                    acked.put("c-" + i, n.put("c-" + i, VALUE));
                }
                // etcdj: into SST files (defragment = flush + compaction); etcd: into its bbolt db
                MaintenanceGrpc.newBlockingStub(n.kv().getChannel()).defragment(DefragmentRequest.getDefaultInstance());
                for (int i = 40; i < 60; i++) {
                    acked.put("c-" + i, n.put("c-" + i, VALUE)); // etcdj: only in the WAL
                }
                n.kill();
            }
            List<String> kinds = etcd ? List.of("snap/db", ".wal") : List.of(".sst", "MANIFEST-", ".log");
            for (String kind : kinds) {
                Path copy = work.resolve("copy-" + kind.replaceAll("[^A-Za-z]", ""));
                copyTree(pristine, copy);
                Path file = biggest(copy, kind);
                flipBytes(file);
                try (Node n = new Node(etcd, copy, work.resolve("log-" + copy.getFileName()))) {
                    n.launch();
                    String outcome = startOrExit(n, acked);
                    record(n, "corrupt " + kind, "flipped 64 bytes in the middle of " + copy.relativize(file)
                            + ": " + outcome);
                    if (!etcd) {
                        assertThat(outcome).startsWith("refused to start");
                    }
                }
            }
        } finally {
            Backend.deleteRecursively(work);
        }
    }

    /** Either the process exits (non-zero) or it starts and must serve every acknowledged write. */
    private static String startOrExit(Node n, Map<String, Long> acked) throws Exception {
        try {
            n.awaitReady();
        } catch (IllegalStateException e) {
            Integer code = n.awaitExit(10);
            assertThat(code).as("exit code").isNotNull().isNotZero();
            return "refused to start, exit code " + code + ": "
                    + n.firstLogLine("orrupt", "checksum", "panic", "Exception", " C | ", "fatal");
        }
        try {
            verify(n, acked);
            return "started, and every acknowledged write is still there";
        } catch (AssertionError | StatusRuntimeException lost) {
            return "STARTED WITH LOST OR UNREADABLE DATA: " + lost.getMessage().lines().findFirst().orElse("");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Puts until one fails (or {@code max} succeeded); the failure's status, or "no failure". */
    private static String writeUntilFailure(Node n, Map<String, Long> acked, String prefix, int max) {
        for (int i = 0; i < max; i++) {
            String key = prefix + i;
            try {
                acked.put(key, n.put(key, VALUE));
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode() + " \"" + e.getStatus().getDescription() + "\"";
            }
        }
        return "no failure";
    }

    private static void verify(Node n, Map<String, Long> acked) {
        for (Map.Entry<String, Long> e : acked.entrySet()) {
            RangeResponse r = n.get(e.getKey());
            assertThat(r.getKvsCount()).as("acknowledged key %s", e.getKey()).isEqualTo(1);
            assertThat(r.getKvs(0).getModRevision()).as("revision of %s", e.getKey()).isEqualTo(e.getValue());
            assertThat(r.getKvs(0).getValue().toByteArray()).as("value of %s", e.getKey()).isEqualTo(VALUE);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static Path biggest(Path dir, String nameContains) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().contains(nameContains))
                    .max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow(() -> new AssertionError("no " + nameContains + " file in " + dir));
        }
    }

    /** Inverts 64 bytes in the middle of the file's written part. */
    private static void flipBytes(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = Math.max(0, f.length() / 2 - 32);
            byte[] b = new byte[64];
            f.seek(at);
            int n = f.read(b);
            for (int i = 0; i < n; i++) {
                b[i] = (byte) ~b[i];
            }
            f.seek(at);
            f.write(b, 0, Math.max(0, n));
        }
    }
}
