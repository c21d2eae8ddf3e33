package dev.etcdj.server;

import static dev.etcdj.server.RealEtcd.ETCD;
import static dev.etcdj.server.RealEtcd.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGrantPermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moves one history between etcdj and real etcd 3.4 through snapshot files, both ways, and checks
 * with the real etcdctl that both sides serve the same keys (revisions and versions included),
 * leases, users, roles and HashKV, and that etcdctl and etcdj read the same snapshot status. The
 * workload has puts, overwrites, deletes, a txn, a compaction, leases (explicit ids) with keys,
 * users, roles and permissions; run on a fresh etcd and a fresh etcdj it gives the same HashKV.
 * Passwords are bcrypt hashes on both sides, so a user logs in with the same password after the move.
 */
class SnapshotRoundTripIT {
    private static final long LEASE_1 = 0x1234;
    private static final long LEASE_2 = 0x5678;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("etcdj-snap-it-");
    }

    @AfterEach
    void tearDown() {
        Backend.deleteRecursively(dir);
    }

    static void workload(String endpoint) throws InterruptedException {
        ManagedChannel ch = ManagedChannelBuilder.forTarget(endpoint.substring("http://".length())).usePlaintext().build();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            put(kv, "a", "1", 0);
            put(kv, "b", "2", 0);
            put(kv, "a", "3", 0);
            put(kv, "c", "4", 0);
            kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("b")).build());
            kv.txn(TxnRequest.newBuilder()
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("d")).setValue(bs("5"))))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("6"))))
                    .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
                            DeleteRangeRequest.newBuilder().setKey(bs("c"))))
                    .build());
            put(kv, "e", "7", 0);
            kv.compact(CompactionRequest.newBuilder().setRevision(4).setPhysical(true).build());
            lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(LEASE_1).setTTL(600).build());
            lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(LEASE_2).setTTL(900).build());
            put(kv, "l1", "x", LEASE_1);
            put(kv, "l2", "y", LEASE_2);
            put(kv, "a", "8", 0);
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("alice").setPassword("pw").build());
            auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("reader").build());
            auth.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("reader")
                    .setPerm(Permission.newBuilder().setPermType(Permission.Type.READWRITE).setKey(bs("a"))
                            .setRangeEnd(bs("f")))
                    .build());
            auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("alice").setRole("reader").build());
        } finally {
            ch.shutdownNow();
            ch.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void put(KVGrpc.KVBlockingStub kv, String k, String v, long lease) {
        kv.put(PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v)).setLease(lease).build());
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** What both sides must agree on, as the real etcdctl prints it (ids and remaining TTLs masked). */
    static String view(String endpoint) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String cmd : List.of("get --prefix  -w json", "get a --rev 5 -w json", "get b --rev 4 -w json",
                "lease list", "lease timetolive 1234 --keys", "lease timetolive 5678 --keys",
                "user list", "user get alice", "role list", "role get reader", "endpoint hashkv -w json",
                "endpoint hashkv --rev 9 -w json", "get a --rev 3")) {
            String line = cmd.replace("--prefix  ", "--prefix \"\" ");
            String out = cmd.startsWith("get --prefix") ? etcdctlArgs(endpoint, "get", "", "--prefix", "-w", "json")
                    : Etcdctl.run(endpoint, cmd);
            b.append("$ ").append(line).append('\n').append(out);
        }
        return b.toString()
                .replaceAll("\\{\"level\":\"warn\"[^\n]*\n", "")
                .replaceAll("\"cluster_id\":\\d+", "\"cluster_id\":ID")
                .replaceAll("\"member_id\":\\d+", "\"member_id\":ID")
                .replaceAll("\"raft_term\":\\d+", "\"raft_term\":T")
                .replaceAll("\"Endpoint\":\"[^\"]*\"", "\"Endpoint\":\"E\"")
                .replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)");
    }

    private static String etcdctlArgs(String endpoint, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Etcdctl.ETCDCTL.toString(), "--endpoints=" + endpoint));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String save(String endpoint, Path file) throws Exception {
        String out = Etcdctl.run(endpoint, "snapshot save " + file);
        assertThat(out).contains("Snapshot saved at " + file);
        return Etcdctl.run(endpoint, "snapshot status " + file + " -w json").trim();
    }

    private static String ourStatus(Path file) throws Exception {
        EtcdSnapshots.Status s = EtcdSnapshots.status(file);
        return "{\"hash\":" + s.hash() + ",\"revision\":" + s.revision() + ",\"totalKey\":" + s.totalKey()
                + ",\"totalSize\":" + s.totalSize() + "}";
    }

    /**
     * Users keep their passwords across the move: with a root user added and auth enabled on the
     * receiving side, alice logs in with the password she was given on the other side, and only with it.
     */
    private static void aliceLogsInWithHerOldPassword(String endpoint) throws Exception {
        assertThat(Etcdctl.run(endpoint, "user add root:rootpw")).contains("User root created");
        assertThat(Etcdctl.run(endpoint, "user grant-role root root")).contains("Role root is granted to user root");
        assertThat(Etcdctl.run(endpoint, "auth enable")).contains("Authentication Enabled");
        assertThat(Etcdctl.run(endpoint, "--user alice:pw get a")).isEqualTo("a\n8\n");
        assertThat(Etcdctl.run(endpoint, "--user alice:wrong get a")).contains("authentication failed");
    }

    /** The snapshot stores bcrypt hashes of etcd's default cost, as etcd's authUsers bucket does. */
    private static void assertBcryptPasswords(Path snapshot) throws Exception {
        String raw = new String(Files.readAllBytes(snapshot), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(raw).containsPattern("\\$2a\\$10\\$[./A-Za-z0-9]{53}").doesNotContain("pbkdf2");
    }

    @Test
    void etcdjToRealEtcdAndBack() throws Exception {
        Path snap = dir.resolve("from-etcdj.db");
        String source;
        String sourceStatus;
        try (EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            workload(server.endpoint());
            source = view(server.endpoint());
            sourceStatus = save(server.endpoint(), snap);
        }
        assertThat(ourStatus(snap)).isEqualTo(sourceStatus);
        assertBcryptPasswords(snap);
        Path restored = dir.resolve("restored.etcd");
        String out = Etcdctl.run("http://127.0.0.1:1", "snapshot restore " + snap + " --data-dir " + restored);
        assertThat(out).contains("restored snapshot");
        try (Etcd etcd = new Etcd(restored)) {
            assertThat(view(etcd.endpoint)).isEqualTo(source);
            // and the restored etcd's own snapshot comes back into etcdj unchanged
            Path again = dir.resolve("from-restored-etcd.db");
            save(etcd.endpoint, again);
            aliceLogsInWithHerOldPassword(etcd.endpoint);
            try (EtcdServer back = EtcdServer.builder().inMemory().restoreFrom(again)
                    .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
                back.start();
                assertThat(view(back.endpoint())).isEqualTo(source);
                aliceLogsInWithHerOldPassword(back.endpoint());
            }
        }
    }

    @Test
    void realEtcdToEtcdjAndSameHashKvOnFreshServers() throws Exception {
        Path snap = dir.resolve("from-etcd.db");
        String source;
        String sourceStatus;
        try (Etcd etcd = new Etcd(null)) {
            workload(etcd.endpoint);
            source = view(etcd.endpoint);
            sourceStatus = save(etcd.endpoint, snap);
        }
        assertThat(ourStatus(snap)).isEqualTo(sourceStatus);
        Path data = dir.resolve("etcdj-data");
        try (EtcdServer server = EtcdServer.builder().dataDir(data).restoreFrom(snap)
                .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            assertThat(view(server.endpoint())).isEqualTo(source);
        }
        // a restart finds the restored data as it was (restoreFrom is only for an empty data dir)
        try (EtcdServer server = EtcdServer.builder().dataDir(data)
                .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            assertThat(view(server.endpoint())).isEqualTo(source);
            aliceLogsInWithHerOldPassword(server.endpoint());
        }
        // the same workload on a fresh etcdj: the same keys, revisions and HashKV as on real etcd
        try (EtcdServer fresh = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            fresh.start();
            workload(fresh.endpoint());
            assertThat(view(fresh.endpoint())).isEqualTo(source);
        }
    }

    /** A real etcd on free loopback ports, on a fresh data dir or on one etcdctl restored. */
    static final class Etcd implements AutoCloseable {
        final Path home;
        final Process process;
        final String endpoint;

        Etcd(Path dataDir) throws Exception {
            home = Files.createTempDirectory("etcdj-real-etcd-");
            int client = freePort();
            int peer = freePort();
            endpoint = "http://127.0.0.1:" + client;
            // a restored dir already knows its member (default=http://localhost:2380): only listen elsewhere
            List<String> cmd = new java.util.ArrayList<>(List.of(ETCD.toString(), "--data-dir",
                    dataDir == null ? home.resolve("d").toString() : dataDir.toString(),
                    "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                    "--listen-peer-urls", "http://127.0.0.1:" + peer));
            if (dataDir == null) {
                cmd.addAll(List.of("--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                        "--initial-cluster", "default=http://127.0.0.1:" + peer));
            }
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("log").toFile()).start();
            ServerTestBase.await(Duration.ofSeconds(30), "real etcd healthy, see " + home.resolve("log"), () -> {
                assertThat(process.isAlive()).as("real etcd exited, see " + home.resolve("log")).isTrue();
                return Etcdctl.run(endpoint, "endpoint health").contains("is healthy");
            });
        }

        @Override
        public void close() throws InterruptedException {
            RealEtcd.stop(process, home);
        }
    }
}
