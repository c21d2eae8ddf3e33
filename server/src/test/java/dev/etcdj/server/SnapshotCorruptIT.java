package dev.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.server.internal.storage.Backend;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damaged snapshot files: a truncated file, one corrupted byte, a wrong trailer, a missing file,
 * junk. etcdj's restore and status must fail with etcdctl's texts (checked against the real
 * etcdctl) and leave no data dir behind, where etcdctl leaves {@code member/snap/db}.
 */
class SnapshotCorruptIT {
    private Path dir;
    private Path good;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("etcdj-snap-corrupt-");
        good = dir.resolve("good.db");
        try (EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            SnapshotRoundTripIT.workload(server.endpoint());
            assertThat(Etcdctl.run(server.endpoint(), "snapshot save " + good)).contains("Snapshot saved");
        }
    }

    @AfterEach
    void tearDown() {
        Backend.deleteRecursively(dir);
    }

    private Path variant(String name, long truncateTo, long offset, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.copy(good, f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            if (truncateTo >= 0) {
                ch.truncate(truncateTo);
            }
            if (bytes != null) {
                ch.write(ByteBuffer.wrap(bytes), offset);
            }
        }
        return f;
    }

    /** etcdctl's error line for a restore of f, with its exit. */
    private String realRestoreError(Path f) throws Exception {
        Path target = dir.resolve("real-" + f.getFileName());
        String out = Etcdctl.run("http://127.0.0.1:1", "snapshot restore " + f + " --data-dir " + target);
        String last = out.strip().substring(out.strip().lastIndexOf('\n') + 1);
        assertThat(last).startsWith("Error: ");
        return last.substring("Error: ".length());
    }

    private void assertSameRestoreFailure(Path f) throws Exception {
        String expected = realRestoreError(f);
        Path ours = dir.resolve("ours-" + f.getFileName());
        assertThatThrownBy(() -> EtcdSnapshots.restore(new EtcdSnapshots.RestoreOptions(f).dataDir(ours)))
                .isInstanceOf(SnapshotException.class).hasMessage(expected);
        assertThat(ours).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".ours-"));
        }
        EtcdServer server = EtcdServer.builder().dataDir(dir.resolve("server-" + f.getFileName())).restoreFrom(f)
                .listenClientUrls(List.of("http://127.0.0.1:0")).build();
        if (!expected.startsWith("snapshot missing hash")) { // the builder also takes a bare database
            assertThatThrownBy(server::start).hasMessageContaining(expected);
            assertThat(dir.resolve("server-" + f.getFileName()).resolve("rocksdb")).doesNotExist();
        }
        server.close();
    }

    @Test
    void truncatedCorruptedAndWrongTrailerAreRefusedLikeEtcdctl() throws Exception {
        long size = Files.size(good);
        assertSameRestoreFailure(variant("truncated.db", size - 4096 - 100, 0, null));
        assertSameRestoreFailure(variant("truncated-on-page.db", size - 4096, 0, null));
        assertSameRestoreFailure(variant("corrupt.db", -1, 5000, new byte[] {(byte) 0x55}));
        assertSameRestoreFailure(variant("trailer.db", -1, size - 10, new byte[] {1, 2, 3, 4}));
        assertSameRestoreFailure(dir.resolve("missing.db"));
    }

    @Test
    void restoreIntoAnExistingDirIsRefused() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("exists"));
        String real = Etcdctl.run("http://127.0.0.1:1", "snapshot restore " + good + " --data-dir " + existing);
        assertThat(real).contains("Error: data-dir \"" + existing + "\" exists");
        assertThatThrownBy(() -> EtcdSnapshots.restore(new EtcdSnapshots.RestoreOptions(good).dataDir(existing)))
                .hasMessage("data-dir \"" + existing + "\" exists");
    }

    @Test
    void statusOfDamagedFilesMatchesEtcdctl() throws Exception {
        Path corrupt = variant("corrupt-status.db", -1, 9000, new byte[] {(byte) 0x55});
        String real = Etcdctl.run("http://127.0.0.1:1", "snapshot status " + corrupt + " -w json").strip();
        EtcdSnapshots.Status s = EtcdSnapshots.status(corrupt);
        assertThat("{\"hash\":" + s.hash() + ",\"revision\":" + s.revision() + ",\"totalKey\":" + s.totalKey()
                + ",\"totalSize\":" + s.totalSize() + "}").isEqualTo(real);
        Path junk = dir.resolve("junk.db");
        Files.write(junk, new byte[100]);
        assertThat(Etcdctl.run("http://127.0.0.1:1", "snapshot status " + junk)).contains("Error: invalid database");
        assertThatThrownBy(() -> EtcdSnapshots.status(junk)).hasMessage("invalid database");
        Path missing = dir.resolve("missing.db");
        assertThat(Etcdctl.run("http://127.0.0.1:1", "snapshot status " + missing))
                .contains("Error: stat " + missing + ": no such file or directory");
        assertThatThrownBy(() -> EtcdSnapshots.status(missing)).hasMessage("stat " + missing + ": no such file or directory");
        // etcdctl dies of SIGBUS on a truncated file; etcdj reports the page it cannot reach
        Path truncated = variant("truncated-status.db", Files.size(good) / 2, 0, null);
        assertThatThrownBy(() -> EtcdSnapshots.status(truncated)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("out of bounds");
    }
}
