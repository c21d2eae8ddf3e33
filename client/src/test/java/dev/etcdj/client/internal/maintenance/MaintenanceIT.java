package dev.etcdj.client.internal.maintenance;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.HashKvResponse;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.NoSpaceException;
import dev.etcdj.client.NotLeaderException;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.testing.EtcdProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance against one real etcd. */
class MaintenanceIT {

    private static EtcdProcess etcd;
    private static EtcdClient client;
    private static MaintenanceClient maintenance;
    private static String endpoint;

    @BeforeAll
    static void start() {
        etcd = EtcdProcess.builder().name("maint").build();
        etcd.start();
        endpoint = etcd.endpoint();
        client = EtcdClient.builder().endpoints(endpoint).build();
        maintenance = client.maintenance();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void statusDescribesTheMember() {
        await(client.kv().put("status/k", "v"));

        StatusResponse s = await(maintenance.status(endpoint));

        assertThat(s.version()).startsWith("3.");
        assertThat(s.header().memberId()).isNotZero();
        assertThat(s.header().clusterId()).isNotZero();
        assertThat(s.leader()).as("a single member leads itself").isEqualTo(s.header().memberId());
        assertThat(s.dbSize()).isPositive();
        assertThat(s.dbSizeInUse()).isPositive().isLessThanOrEqualTo(s.dbSize());
        assertThat(s.raftIndex()).isPositive();
        assertThat(s.raftAppliedIndex()).isPositive();
        assertThat(s.raftTerm()).isPositive();
        assertThat(s.errors()).isEmpty();
        assertThat(s.learner()).isFalse();
    }

    @Test
    void hashIsStableWithoutWritesAndChangesWithThem() {
        long before = await(maintenance.hash(endpoint)).hash();
        assertThat(await(maintenance.hash(endpoint)).hash()).isEqualTo(before);

        await(client.kv().put("hash/k", "v"));

        assertThat(await(maintenance.hash(endpoint)).hash()).isNotEqualTo(before)
                .isBetween(0L, 0xffff_ffffL);
    }

    @Test
    void hashKvAtARevisionIgnoresLaterWrites() {
        long rev = await(client.kv().put("hashkv/a", "1")).header().revision();
        HashKvResponse atRev = await(maintenance.hashKv(endpoint, rev));
        assertThat(atRev.header().revision()).isGreaterThanOrEqualTo(rev);

        await(client.kv().put("hashkv/b", "2"));

        assertThat(await(maintenance.hashKv(endpoint, rev)).hash()).isEqualTo(atRev.hash());
        assertThat(await(maintenance.hashKv(endpoint, 0)).hash()).isNotEqualTo(atRev.hash());
    }

    @Test
    void hashKvOfACompactedOrFutureRevisionIsTyped() {
        long first = await(client.kv().put("hashkv/c", "1")).header().revision();
        long second = await(client.kv().put("hashkv/c", "2")).header().revision();
        await(client.kv().compact(second));

        HashKvResponse h = await(maintenance.hashKv(endpoint, 0));
        assertThat(h.compactRevision()).isGreaterThanOrEqualTo(second);
        assertThatThrownBy(() -> await(maintenance.hashKv(endpoint, first))).isInstanceOf(CompactedException.class);
        assertThatThrownBy(() -> await(maintenance.hashKv(endpoint, h.header().revision() + 1000)))
                .isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void noAlarmsAndDisarmingNothingIsHarmless() {
        AlarmResponse list = await(maintenance.alarmList());
        assertThat(list.alarms()).isEmpty();

        long member = await(maintenance.status(endpoint)).header().memberId();
        AlarmResponse disarmed = await(maintenance.alarmDisarm(new AlarmMember(member, AlarmMember.Type.NOSPACE)));

        assertThat(disarmed.alarms()).isEmpty();
        assertThat(await(maintenance.alarmList()).alarms()).isEmpty();
    }

    @Test
    void defragmentKeepsDataAndCanShrinkTheFile() {
        for (int i = 0; i < 200; i++) {
            await(client.kv().put("defrag/" + i, "x".repeat(1024)));
        }
        await(client.kv().delete("defrag/", dev.etcdj.client.Options.prefix()));
        long rev = await(client.kv().put("defrag/kept", "v")).header().revision();
        await(client.kv().compact(rev, true));
        long before = await(maintenance.status(endpoint)).dbSize();

        await(maintenance.defragment(endpoint));

        StatusResponse after = await(maintenance.status(endpoint));
        assertThat(after.dbSize()).isLessThanOrEqualTo(before);
        assertThat(after.dbSizeInUse()).isLessThanOrEqualTo(after.dbSize());
        assertThat(await(client.kv().get("defrag/kept")).kvs()).hasSize(1);
    }

    @Test
    void snapshotFileEndsWithTheSha256OfTheDatabase(@TempDir Path dir) throws Exception {
        await(client.kv().put("snap/k", "v".repeat(100_000))); // more than a few 32 KiB chunks
        Path file = dir.resolve("snap.db");

        long size;
        try (OutputStream out = Files.newOutputStream(file)) {
            size = await(maintenance.snapshot(endpoint, out));
        }

        byte[] bytes = Files.readAllBytes(file);
        assertThat(size).isEqualTo(bytes.length - 32L).isGreaterThan(100_000);
        byte[] db = Arrays.copyOf(bytes, bytes.length - 32);
        byte[] trailer = Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length);
        assertThat(trailer).isEqualTo(MessageDigest.getInstance("SHA-256").digest(db));
        // etcd's own tool must accept the file as a snapshot.
        assertThat(etcdctl("snapshot", "status", file.toString(), "-w", "json")).contains("\"hash\"");
    }

    @Test
    void snapshotOutputFailureFailsTheCall() {
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

        assertThatThrownBy(() -> await(maintenance.snapshot(endpoint, broken)))
                .hasMessageContaining("disk full");
        // The member is fine afterwards.
        assertThat(await(maintenance.snapshot(endpoint, new ByteArrayOutputStream()))).isPositive();
    }

    @Test
    void aSnapshotBrokenOffMidwayFailsInsteadOfStartingOverIntoTheSameOutput() throws Exception {
        try (EtcdProcess other = EtcdProcess.builder().name("snapkill").build()) {
            other.start();
            try (EtcdClient c = EtcdClient.builder().endpoints(other.endpoint()).build()) {
                // Larger than gRPC's 1 MiB flow-control window, so the stream is still running when
                // the writer blocks: etcd cannot have sent it all before it is killed.
                for (int i = 0; i < 3; i++) {
                    await(c.kv().put("big/" + i, "b".repeat(1_000_000)));
                }
                CountDownLatch writing = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                OutputStream slow = new OutputStream() {
                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        writing.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        received.write(b, off, len);
                    }
                };

                CompletableFuture<Long> snapshot = c.maintenance().snapshot(other.endpoint(), slow);
                assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
                other.kill();
                other.start(); // back before the client's retries would give up
                release.countDown();

                assertThatThrownBy(() -> await(snapshot)).isInstanceOf(EtcdException.class)
                        .hasMessageContaining("snapshot broken off after");
                assertThat(received.size()).isLessThan(3_000_000);
            }
        }
    }

    @Test
    void moveLeaderOnASingleMemberFindsTheLeaderButHasNoTransferee() {
        long self = await(maintenance.status(endpoint)).header().memberId();
        // The call reached the leader (else "not leader"); etcd refuses an unknown target.
        assertThatThrownBy(() -> await(maintenance.moveLeader(self + 1)))
                .isNotInstanceOf(NotLeaderException.class)
                .hasMessageContaining("bad leader transferee");
    }

    @Test
    void noSpaceAlarmIsListedAndDisarmedOnceSpaceIsFreed() {
        try (EtcdProcess small = EtcdProcess.builder().name("quota").args("--quota-backend-bytes=262144").build()) {
            small.start();
            try (EtcdClient c = EtcdClient.builder().endpoints(small.endpoint()).build()) {
                String big = "x".repeat(8 * 1024);
                int i = 0;
                while (true) {
                    try {
                        await(c.kv().put("fill/" + i++, big));
                    } catch (NoSpaceException e) {
                        break;
                    }
                    assertThat(i).as("quota never hit").isLessThan(200);
                }
                long member = await(c.maintenance().status(small.endpoint())).header().memberId();

                AlarmResponse alarms = await(c.maintenance().alarmList());
                assertThat(alarms.alarms()).containsExactly(new AlarmMember(member, AlarmMember.Type.NOSPACE));
                assertThat(await(c.maintenance().status(small.endpoint())).errors())
                        .anySatisfy(e -> assertThat(e).contains("NOSPACE"));
                assertThatThrownBy(() -> await(c.kv().put("more", "v"))).isInstanceOf(NoSpaceException.class);

                // The etcd runbook: delete, compact, defragment, disarm.
                long rev = await(c.kv().delete("fill/", dev.etcdj.client.Options.prefix())).header().revision();
                await(c.kv().compact(rev, true));
                await(c.maintenance().defragment(small.endpoint()));
                AlarmResponse disarmed = await(c.maintenance().alarmDisarm(alarms.alarms().get(0)));

                assertThat(disarmed.alarms()).containsExactly(new AlarmMember(member, AlarmMember.Type.NOSPACE));
                assertThat(await(c.maintenance().alarmList()).alarms()).isEmpty();
                await(c.kv().put("more", "v"));
            }
        }
    }

    @Test
    void cancellingASnapshotEndsTheCallAndItsWriterThread() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger writes = new AtomicInteger();
        OutputStream stuck = new OutputStream() {
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
            }
        };

        await(client.kv().put("cancel/big", "c".repeat(200_000)));
        CompletableFuture<Long> snapshot = maintenance.snapshot(endpoint, stuck);
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        snapshot.cancel(true);
        release.countDown();

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("etcdj-snapshot-writer")));
        // The database is many chunks long: a call that went on would have written the rest.
        assertThat(await(maintenance.status(endpoint)).dbSize()).isGreaterThan(4 * 32 * 1024);
        assertThat(writes.get()).as("writes after the cancel").isEqualTo(1);
        assertThat(await(maintenance.status(endpoint)).errors()).isEmpty();
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
}
