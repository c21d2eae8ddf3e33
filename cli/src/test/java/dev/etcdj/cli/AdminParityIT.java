package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.NoSpaceException;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The auth, user, role, alarm, defrag, snapshot, member, move-leader and endpoint commands, run
 * through the real etcdctl and through etcdj against single-member etcds.
 *
 * <p>{@link #scriptMatchesEtcdctlOnFreshServers}: one fresh etcd per tool, the same script, the same
 * stdout, stderr and exit code at every step after normalising what legitimately differs between two
 * servers: cluster and member IDs (decimal and hex), raft terms and indexes, database sizes, the
 * servers' ports and the snapshot directory, and the "took" of endpoint health.
 * {@link #readOnlyCommandsMatchExactlyOnOneServer}: both tools against the same etcd, where only
 * "took" is normalised: IDs, sizes, hashes and table layouts must be identical.
 */
class AdminParityIT {

    private final Cleanup cleanup = new Cleanup();

    @AfterEach
    void cleanUp() throws Exception {
        cleanup.close();
    }

    private RealEtcd etcd() throws Exception {
        RealEtcd e = new RealEtcd();
        cleanup.close(e);
        return e;
    }

    private Path tempDir() throws Exception {
        return cleanup.tempDir("etcdj-admin-it");
    }

    @Test
    void scriptMatchesEtcdctlOnFreshServers() throws Exception {
        RealEtcd a = etcd();
        RealEtcd b = etcd();
        Path dirA = tempDir();
        Path dirB = tempDir();
        for (Step s : adminScript()) {
            Result expected = normalise(AdminRunner.etcdctl(List.of("--endpoints", a.endpoint), withDir(s, dirA)), a, dirA);
            Result actual = normalise(AdminRunner.etcdj(List.of("--endpoints", b.endpoint), withDir(s, dirB)), b, dirB);
            assertThat(actual).as("etcdj %s (stdin %s)", String.join(" ", s.args()), s.stdin()).isEqualTo(expected);
        }
        assertThat(Files.size(dirB.resolve("snap.db"))).isGreaterThan(32);
        assertThat(dirB.resolve("snap.db.part")).doesNotExist();
    }

    /** Shared with ServerParityIT; "SNAPDIR" stands for a temp dir (see withDir). */
    static List<Step> adminScript() {
        return List.of(
                Step.of("user", "add", "root:rootpw"),
                Step.of("user", "add", "root", "--new-user-password", "x"),
                Step.of("user", "add", "alice", "--new-user-password=apw", "-w", "json"),
                new Step("bpw extra\n", "user", "add", "bob", "--interactive=false"),
                Step.of("user", "add", ":x"),
                Step.of("user", "add"),
                Step.of("user", "add", "a", "b"),
                Step.of("user", "list"),
                Step.of("user", "list", "-w", "json"),
                Step.of("user", "list", "-w", "fields"),
                Step.of("role", "add", "reader"),
                Step.of("role", "add", "reader"),
                Step.of("role", "add", "writer", "-w", "json"),
                Step.of("role", "add", "x", "-w", "fields"),
                Step.of("role", "list"),
                Step.of("role", "list", "-w", "json"),
                Step.of("role", "list", "-w", "fields"),
                Step.of("role", "list", "-w", "table"),
                Step.of("role", "grant-permission", "reader", "read", "foo"),
                Step.of("role", "grant-permission", "reader", "read", "a", "--prefix"),
                Step.of("role", "grant-permission", "reader", "readwrite", "", "--from-key"),
                Step.of("role", "grant-permission", "writer", "write", "k1", "k9", "-w", "json"),
                Step.of("role", "grant-permission", "writer", "Write", "z", "--from-key", "-w", "fields"),
                Step.of("role", "grant-permission", "reader", "bogus", "foo"),
                Step.of("role", "grant-permission", "reader", "read", "a", "b", "--prefix"),
                Step.of("role", "grant-permission", "reader", "read", "a", "b", "--from-key"),
                Step.of("role", "grant-permission", "reader", "read", "a", "--prefix", "--from-key"),
                Step.of("role", "grant-permission", "reader"),
                Step.of("role", "get", "reader"),
                Step.of("role", "get", "writer"),
                Step.of("role", "get", "reader", "-w", "json"),
                Step.of("role", "get", "reader", "-w", "fields"),
                Step.of("role", "get", "reader", "-w", "table"),
                Step.of("role", "get", "nobody"),
                Step.of("user", "grant-role", "alice", "reader"),
                Step.of("user", "grant-role", "alice", "writer", "-w", "json"),
                Step.of("user", "grant-role", "alice", "nobody"),
                Step.of("user", "grant-role", "alice"),
                Step.of("user", "get", "alice"),
                Step.of("user", "get", "alice", "--detail"),
                Step.of("user", "get", "alice", "--detail", "-w", "json"),
                Step.of("user", "get", "alice", "-w", "json"),
                Step.of("user", "get", "alice", "-w", "fields"),
                Step.of("user", "get", "nobody"),
                Step.of("user", "revoke-role", "alice", "writer"),
                Step.of("user", "revoke-role", "alice", "writer"),
                Step.of("role", "revoke-permission", "reader", "foo"),
                Step.of("role", "revoke-permission", "reader", "a", "--prefix"),
                Step.of("role", "revoke-permission", "reader", "", "--from-key"),
                Step.of("role", "revoke-permission", "writer", "k1", "k9", "-w", "json"),
                Step.of("role", "revoke-permission", "reader", "nope"),
                Step.of("role", "revoke-permission", "reader"),
                new Step("newpw\n", "user", "passwd", "alice", "--interactive=false"),
                Step.of("role", "delete", "x"),
                Step.of("role", "delete", "x"),
                Step.of("user", "delete", "bob"),
                Step.of("user", "delete", "bob", "-w", "json"),
                Step.of("auth", "enable"),
                Step.of("auth", "enable", "extra"),
                Step.of("role", "list"),
                Step.of("--user", "root:rootpw", "role", "list"),
                Step.of("--user", "root:wrong", "role", "list"),
                Step.of("--user", "root", "--password", "rootpw", "user", "get", "root"),
                Step.of("--user", "alice:newpw", "put", "foo", "x"),
                Step.of("--user", "alice:newpw", "endpoint", "health"),
                Step.of("--user", "root:rootpw", "auth", "disable"),
                Step.of("auth", "disable"),
                Step.of("put", "foo", "bar"),
                Step.of("put", "foo", "baz"),
                Step.of("alarm", "list"),
                Step.of("alarm", "list", "-w", "json"),
                Step.of("alarm", "list", "-w", "table"),
                Step.of("alarm", "disarm"),
                Step.of("alarm", "disarm", "-w", "json"),
                Step.of("alarm", "list", "x"),
                Step.of("defrag"),
                Step.of("defrag", "--cluster", "-w", "json"),
                Step.of("snapshot", "save", "SNAPDIR/snap.db"),
                Step.of("snapshot", "save", "SNAPDIR/no/such/dir/snap.db"),
                Step.of("snapshot", "save"),
                Step.of("member", "list"),
                Step.of("member", "list", "-w", "json"),
                Step.of("member", "list", "-w", "fields"),
                Step.of("member", "add"),
                Step.of("member", "add", "x", "http://127.0.0.1:1"),
                Step.of("member", "add", "x"),
                Step.of("member", "remove", "zz"),
                Step.of("member", "remove", "1"),
                Step.of("member", "remove"),
                Step.of("member", "update", "1", "--peer-urls", "http://127.0.0.1:1"),
                Step.of("member", "update", "1"),
                Step.of("member", "promote", "1"),
                Step.of("move-leader", "1"),
                Step.of("move-leader", "zz"),
                Step.of("move-leader"),
                Step.of("endpoint", "hashkv"),
                Step.of("endpoint", "hashkv", "-w", "json"),
                Step.of("endpoint", "hashkv", "--rev", "2", "-w", "fields"),
                Step.of("endpoint", "status"),
                Step.of("endpoint", "status", "-w", "json"),
                Step.of("endpoint", "health"),
                Step.of("endpoint", "health", "-w", "json"),
                Step.of("endpoint", "health", "-w", "fields"),
                Step.of("endpoint", "health", "-w", "table"),
                Step.of("member"),
                Step.of("user", "-h"),
                Step.of("role", "revoke-permission", "-h"),
                Step.of("endpoint", "hashkv", "-h"),
                Step.of("member", "add", "-h"),
                Step.of("snapshot", "save", "-h"));
    }

    /**
     * snapshot status in every output format and snapshot restore's refusals, on files real etcd
     * wrote: etcdj must print exactly what etcdctl prints (no normalising at all).
     */
    @Test
    void snapshotStatusAndRestoreErrorsMatchExactly() throws Exception {
        RealEtcd e = etcd();
        Path dir = tempDir();
        Path snap = dir.resolve("snap.db");
        assertThat(AdminRunner.etcdctl(List.of("--endpoints", e.endpoint), Step.of("put", "k", "v")).code()).isZero();
        assertThat(AdminRunner.etcdctl(List.of("--endpoints", e.endpoint), Step.of("snapshot", "save", snap.toString()))
                .code()).isZero();
        Path bare = dir.resolve("bare.db"); // no SHA-256 trailer
        Files.write(bare, java.util.Arrays.copyOf(Files.readAllBytes(snap), (int) Files.size(snap) - 32));
        Path junk = dir.resolve("junk.db");
        Files.write(junk, new byte[100]);
        Files.createDirectories(dir.resolve("exists"));
        String f = snap.toString();
        List<Step> steps = List.of(
                Step.of("snapshot", "status", f),
                Step.of("snapshot", "status", f, "-w", "json"),
                Step.of("snapshot", "status", f, "-w", "table"),
                Step.of("snapshot", "status", f, "-w", "fields"),
                Step.of("snapshot", "status", f, "-w", "protobuf"),
                Step.of("snapshot", "status", bare.toString()),
                Step.of("snapshot", "status", junk.toString()),
                Step.of("snapshot", "status", dir.resolve("missing.db").toString()),
                Step.of("snapshot", "status"),
                Step.of("snapshot", "restore", f, "--data-dir", dir.resolve("exists").toString()),
                Step.of("snapshot", "restore", bare.toString(), "--data-dir", dir.resolve("r1").toString()),
                Step.of("snapshot", "restore", f, "--initial-cluster", "a=http://localhost:2380", "--data-dir",
                        dir.resolve("r2").toString()),
                Step.of("snapshot", "restore", f, "--name", "m1", "--data-dir", dir.resolve("r3").toString()),
                Step.of("snapshot", "restore"),
                Step.of("snapshot", "restore", "--help"));
        for (Step s : steps) {
            // etcdj first: etcdctl leaves a half-restored data dir behind, etcdj must not
            Result actual = AdminRunner.etcdj(List.of(), s);
            Result expected = AdminRunner.etcdctl(List.of(), s);
            assertThat(actual).as("etcdj %s", String.join(" ", s.args())).isEqualTo(expected);
        }
        Step restore = Step.of("snapshot", "restore", f, "--data-dir", dir.resolve("ours").toString());
        Result ours = AdminRunner.etcdj(List.of(), restore);
        assertThat(ours.code()).as(ours.err()).isZero();
        assertThat(dir.resolve("ours").resolve("rocksdb")).isDirectory();
    }

    @Test
    void readOnlyCommandsMatchExactlyOnOneServer() throws Exception {
        RealEtcd e = etcd();
        List<Step> steps = List.of(
                Step.of("put", "k", "v"),
                Step.of("endpoint", "status"),
                Step.of("endpoint", "status", "-w", "json"),
                Step.of("endpoint", "status", "-w", "table"),
                Step.of("endpoint", "status", "-w", "fields"),
                Step.of("endpoint", "status", "--cluster", "-w", "table"),
                Step.of("endpoint", "hashkv", "-w", "table"),
                Step.of("endpoint", "hashkv", "--cluster"),
                Step.of("endpoint", "health", "--cluster", "-w", "table"),
                Step.of("member", "list", "-w", "table"),
                Step.of("member", "list", "-w", "json"),
                Step.of("alarm", "list", "-w", "fields"));
        for (Step s : steps) {
            Result expected = AdminRunner.etcdctl(List.of("--endpoints", e.endpoint), s);
            Result actual = AdminRunner.etcdj(List.of("--endpoints", e.endpoint), s);
            if (s.args()[s.args().length - 1].equals("fields") && s.args()[0].equals("alarm")) {
                // etcdctl dereferences the header alarm responses lack: both panic, the stacks differ.
                assertThat(expected.err()).startsWith("panic: runtime error: invalid memory address or nil pointer dereference");
                assertThat(actual.err()).startsWith("panic: runtime error: invalid memory address or nil pointer dereference");
                assertThat(actual.code()).isEqualTo(expected.code());
                continue;
            }
            assertThat(took(actual)).as("etcdj %s", String.join(" ", s.args())).isEqualTo(took(expected));
            if (s.args()[0].equals("put")) {
                awaitBackendCommitted(e.endpoint);
            }
        }
    }

    /**
     * etcd commits its backend every 100 ms, and the dbSizeInUse that {@code endpoint status}
     * shows moves when it does: wait until it has stopped moving after a write, so that the two
     * tools, run one after the other, read the same figure.
     */
    private static void awaitBackendCommitted(String endpoint) {
        try (EtcdClient c = EtcdClient.builder().endpoints(endpoint).build()) {
            long[] last = {-1, System.nanoTime()}; // the figure, and since when it has not moved
            Await.until(Duration.ofSeconds(10), "dbSizeInUse unchanged over three commit intervals", () -> {
                long inUse = c.maintenance().status(endpoint).join().dbSizeInUse();
                if (inUse != last[0]) {
                    last[0] = inUse;
                    last[1] = System.nanoTime();
                }
                return System.nanoTime() - last[1] > TimeUnit.MILLISECONDS.toNanos(300);
            });
        }
    }

    @Test
    void noSpaceAlarmListAndDisarmMatchEtcdctl() throws Exception {
        List<Step> steps = List.of(
                Step.of("alarm", "list"),
                Step.of("alarm", "list", "-w", "json"),
                Step.of("put", "k", "v"),
                Step.of("alarm", "disarm", "-w", "json"),
                Step.of("alarm", "list"));
        List<Result> expected = new ArrayList<>();
        List<Result> actual = new ArrayList<>();
        for (boolean etcdctl : new boolean[] {true, false}) {
            try (EtcdProcess e = EtcdProcess.builder().args("--quota-backend-bytes", "200000").build()) {
                e.start();
                fill(e.endpoint());
                for (Step s : steps) {
                    if (etcdctl) {
                        expected.add(normalise(AdminRunner.etcdctl(List.of("--endpoints", e.endpoint()), s), null, null));
                    } else {
                        actual.add(normalise(AdminRunner.etcdj(List.of("--endpoints", e.endpoint()), s), null, null));
                    }
                }
            }
        }
        assertThat(expected.get(0).out()).contains("alarm:NOSPACE");
        assertThat(actual).isEqualTo(expected);
    }

    /** Writes until the backend quota is exceeded and etcd raises its NOSPACE alarm. */
    private static void fill(String endpoint) {
        try (EtcdClient c = EtcdClient.builder().endpoints(List.of(endpoint)).build()) {
            byte[] big = new byte[32 * 1024];
            for (int i = 0; i < 100; i++) {
                try {
                    c.kv().put(dev.etcdj.client.Bytes.of("fill" + i), dev.etcdj.client.Bytes.of(big)).join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof NoSpaceException) {
                        return;
                    }
                    throw e;
                }
            }
        }
        throw new AssertionError("etcd never ran out of space");
    }

    static Step withDir(Step s, Path dir) {
        String[] args = s.args().clone();
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace("SNAPDIR", dir.toString());
        }
        return new Step(s.stdin(), args);
    }

    private static Result took(Result r) {
        return new Result(AdminRunner.normaliseTook(r.out()), AdminRunner.normaliseTook(r.err()), r.code());
    }

    static Result normalise(Result r, RealEtcd server, Path dir) {
        String endpoint = server == null ? null : server.endpoint;
        return new Result(normalise(r.out(), endpoint, dir), normalise(r.err(), endpoint, dir), r.code());
    }

    static String normalise(String s, String endpoint, Path dir) {
        if (endpoint != null) {
            s = s.replace(endpoint, "ENDPOINT");
        }
        if (dir != null) {
            s = s.replace(dir.toString(), "SNAPDIR");
        }
        s = AdminRunner.normaliseTook(s)
                .replaceAll("http://127\\.0\\.0\\.1:\\d+", "URL")
                .replaceAll("(Member|cluster) +[0-9a-f]+", "$1 ID")
                .replaceAll("\\b[0-9a-f]{12,16}\\b", "HEXID")
                .replaceAll("\"(leader|raftIndex|raftAppliedIndex|dbSize|dbSizeInUse|raftTerm|memberID)\":\\d+", "\"$1\":N")
                .replaceAll("\"(Leader|RaftIndex|RaftAppliedIndex|DBSize|MemberID)\" : \\d+", "\"$1\" : N")
                .replaceAll("memberID:\\d+", "memberID:N")
                .replaceAll("(true|false), (true|false), \\d+, \\d+, \\d+, ", "$1, $2, N, N, N, ")
                .replaceAll("\\d+ kB", "N kB");
        return EtcdctlParityIT.normalise(s);
    }
}
