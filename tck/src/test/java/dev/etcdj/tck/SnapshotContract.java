package dev.etcdj.tck;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.NotLeaderException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots that go wrong (a failing or stuck output, a cancel, a server killed mid-stream), what
 * etcd's own tool makes of a snapshot file, and a leader move on a single member.
 * ({@link ClusterMaintenanceContract} has the snapshot that goes right.)
 */
public abstract class SnapshotContract extends ContractSupport {

    private MaintenanceClient maintenance;
    private String endpoint;

    @BeforeEach
    void clients() {
        maintenance = client.maintenance();
        endpoint = endpoints().get(0);
    }

    @Test
    void aSnapshotFileIsOneEtcdctlAccepts(@TempDir Path dir) throws Exception {
        kv.put(key("k"), "v".repeat(100_000)); // more than a few 32 KiB chunks
        Path file = dir.resolve("snap.db");
        long size;
        try (OutputStream out = Files.newOutputStream(file)) {
            size = await(maintenance.snapshot(endpoint, out));
        }
        assertThat(size).isEqualTo(Files.size(file) - 32L).isGreaterThan(100_000);
        // etcd's own tool must accept the file as a snapshot.
        assertThat(etcdctl("snapshot", "status", file.toString(), "-w", "json")).contains("\"hash\"");
    }

    @Test
    void aFailingOutputFailsTheCall() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> await(maintenance.snapshot(endpoint, broken))).hasMessageContaining("disk full");
        // The member is fine afterwards.
        assertThat(await(maintenance.snapshot(endpoint, new ByteArrayOutputStream()))).isPositive();
    }

    @Test
    void cancellingASnapshotEndsTheCallAndItsWriterThread() throws Exception {
        HeldOutput stuck = new HeldOutput();
        kv.put(key("big"), "c".repeat(200_000));
        CompletableFuture<Long> snapshot = maintenance.snapshot(endpoint, stuck);
        assertThat(stuck.writing.await(10, TimeUnit.SECONDS)).isTrue();
        snapshot.cancel(true);
        stuck.release.countDown();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("etcdj-snapshot-writer")));
        // The database is many chunks long: a call that went on would have written the rest.
        assertThat(await(maintenance.status(endpoint)).dbSize()).isGreaterThan(4 * 32 * 1024);
        assertThat(stuck.writes.get()).as("writes after the cancel").isEqualTo(1);
        assertThat(await(maintenance.status(endpoint)).errors()).isEmpty();
    }

    @Test
    void aSnapshotBrokenOffMidwayFailsInsteadOfStartingOverIntoTheSameOutput() throws Exception {
        // Larger than gRPC's 1 MiB flow-control window, so the stream is still running when the
        // writer blocks: the server cannot have sent it all before it is killed.
        for (int i = 0; i < 3; i++) {
            kv.put(key("big/" + i), "b".repeat(1_000_000));
        }
        HeldOutput slow = new HeldOutput();
        try {
            CompletableFuture<Long> snapshot = maintenance.snapshot(endpoint, slow);
            assertThat(slow.writing.await(10, TimeUnit.SECONDS)).isTrue();
            target().kill();
            target().start(); // back before the client's retries would give up
            slow.release.countDown();

            assertThatThrownBy(() -> await(snapshot)).isInstanceOf(EtcdException.class)
                    .hasMessageContaining("snapshot broken off after");
            assertThat(slow.size()).isLessThan(3_000_000);
        } finally {
            slow.release.countDown();
            kv.delete(key("big/"), dev.etcdj.client.Options.prefix());
        }
    }

    @Test
    void moveLeaderOnASingleMemberFindsTheLeaderButHasNoTransferee() {
        long self = await(maintenance.status(endpoint)).header().memberId();
        // The call reached the leader (else "not leader"); the server refuses an unknown target.
        assertThatThrownBy(() -> await(maintenance.moveLeader(self + 1)))
                .isNotInstanceOf(NotLeaderException.class)
                .hasMessageContaining("bad leader transferee");
    }

    private static String etcdctl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "/usr/bin/etcdctl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Keeps what is written, but each write first waits until {@link #release} opens. */
    static final class HeldOutput extends ByteArrayOutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.write(b, off, len);
        }
    }
}
