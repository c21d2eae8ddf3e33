package dev.etcdj.client.internal.maintenance;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.HashKvResponse;
import dev.etcdj.client.MaintenanceClient;
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
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
    void moveLeaderOnASingleMemberFindsTheLeaderButHasNoTransferee() {
        long self = await(maintenance.status(endpoint)).header().memberId();
        // The call reached the leader (else "not leader"); etcd refuses an unknown target.
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
}
