package dev.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.etcdserverpb.AlarmRequest;
import dev.etcdj.proto.etcdserverpb.AuthDisableRequest;
import dev.etcdj.proto.etcdserverpb.AuthEnableRequest;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGetRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGrantPermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleListRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGetRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserListRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.DefragmentRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.HashKVRequest;
import dev.etcdj.proto.etcdserverpb.HashRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseLeasesRequest;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveRequest;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.MemberRemoveRequest;
import dev.etcdj.proto.etcdserverpb.MemberUpdateRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.SnapshotRequest;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.v3electionpb.CampaignRequest;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import dev.etcdj.proto.v3lockpb.LockGrpc;
import dev.etcdj.proto.v3lockpb.LockRequest;
import dev.etcdj.proto.v3lockpb.UnlockRequest;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A server restarted on a data dir where auth is enabled never serves an unchecked call: every
 * service is called without a token, on our server after a restart and on a real etcd 3.4 with
 * the same users, and both must answer each call identically (refusals included, and the few
 * calls etcd itself leaves unchecked). Wiring is explicit, so there is nothing a repackaged jar
 * could lose; this pins the behaviour down end to end.
 */
class AuthFailClosedIT {
    @Test
    void tokenlessCallsAreRefusedLikeEtcdAfterRestart() throws Exception {
        Path data = Files.createTempDirectory("etcdj-authfc-");
        String ours;
        try {
            EtcdServer.Builder b = EtcdServer.builder().dataDir(data).listenClientUrls(List.of("http://127.0.0.1:0"));
            try (EtcdServer server = b.build()) {
                server.start();
                enableAuth(server.endpoint());
            }
            try (EtcdServer server = b.build()) {
                server.start();
                ours = probe(server.endpoint());
            }
        } finally {
            Backend.deleteRecursively(data);
        }
        String real = RealEtcd.with(endpoint -> {
            enableAuth(endpoint);
            return probe(endpoint);
        });
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "auth-fail-closed-etcdj.txt"), ours);
        Files.writeString(Path.of("target", "auth-fail-closed-etcd.txt"), real);
        assertThat(ours).isEqualTo(real);
        // and the answers that matter are refusals, not data
        assertThat(ours).contains("range -> ERROR INVALID_ARGUMENT etcdserver: user name is empty",
                "put -> ERROR INVALID_ARGUMENT etcdserver: user name is empty",
                "hash -> ERROR UNKNOWN auth: user name is empty",
                "user-list -> ERROR INVALID_ARGUMENT etcdserver: user name is empty",
                "lock -> ERROR UNKNOWN etcdserver: user name is empty",
                "watch -> watch_id: -1 created: true canceled: true cancel_reason: \"rpc error: code = InvalidArgument"
                        + " desc = etcdserver: user name is empty\"");
    }

    /** root with the root role, u1 with READ on k, a secret under k, then auth enabled. */
    private static void enableAuth(String endpoint) throws Exception {
        ManagedChannel ch = channel(endpoint);
        try {
            KVGrpc.newBlockingStub(ch).put(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("secret")).build());
            AuthGrpc.AuthBlockingStub a = AuthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            a.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("pw").build());
            a.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
            a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
            a.roleAdd(AuthRoleAddRequest.newBuilder().setName("r1").build());
            a.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("r1")
                    .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(bs("k"))).build());
            a.userAdd(AuthUserAddRequest.newBuilder().setName("u1").setPassword("p1").build());
            a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("u1").setRole("r1").build());
            a.authEnable(AuthEnableRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One token-less call of (nearly) every method of every service, as a transcript. */
    private static String probe(String endpoint) throws Exception {
        ManagedChannel ch = channel(endpoint);
        StringBuilder out = new StringBuilder();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "range", () -> kv.range(RangeRequest.newBuilder().setKey(bs("k")).build()));
            rec(out, "put", () -> kv.put(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("x")).build()));
            rec(out, "delete", () -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("k")).build()));
            rec(out, "txn", () -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                    .setRequestRange(RangeRequest.newBuilder().setKey(bs("k")))).build()));
            rec(out, "compact-future", () -> kv.compact(CompactionRequest.newBuilder().setRevision(1000).build()));

            watch(out, "watch", WatchGrpc.newStub(ch), "k");
            watch(out, "watch-bogus-token", WatchGrpc.newStub(ch).withInterceptors(token("bogus.1")), "k");
            String u1 = AuthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .authenticate(AuthenticateRequest.newBuilder().setName("u1").setPassword("p1").build()).getToken();
            watch(out, "watch-u1-denied", WatchGrpc.newStub(ch).withInterceptors(token(u1)), "z");

            LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "lease-grant", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()));
            rec(out, "lease-revoke", () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(12345).build()));
            rec(out, "lease-ttl", () -> lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(12345).build()));
            rec(out, "lease-leases", () -> lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance()));

            ClusterGrpc.ClusterBlockingStub cl = ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "member-list", () -> cl.memberList(MemberListRequest.getDefaultInstance()));
            rec(out, "member-add", () -> cl.memberAdd(MemberAddRequest.newBuilder()
                    .addPeerURLs("http://127.0.0.1:1").setIsLearner(true).build()));
            rec(out, "member-remove", () -> cl.memberRemove(MemberRemoveRequest.newBuilder().setID(7).build()));
            rec(out, "member-update", () -> cl.memberUpdate(MemberUpdateRequest.newBuilder().setID(7)
                    .addPeerURLs("http://127.0.0.1:2").build()));
            rec(out, "member-promote", () -> cl.memberPromote(MemberPromoteRequest.newBuilder().setID(7).build()));

            MaintenanceGrpc.MaintenanceBlockingStub mt =
                    MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "alarm", () -> mt.alarm(AlarmRequest.getDefaultInstance()));
            rec(out, "status", () -> mt.status(StatusRequest.getDefaultInstance()));
            rec(out, "defragment", () -> mt.defragment(DefragmentRequest.getDefaultInstance()));
            rec(out, "hash", () -> mt.hash(HashRequest.getDefaultInstance()));
            rec(out, "hashkv", () -> mt.hashKV(HashKVRequest.getDefaultInstance()));
            rec(out, "snapshot", () -> mt.snapshot(SnapshotRequest.getDefaultInstance()).next());

            AuthGrpc.AuthBlockingStub au = AuthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "auth-disable", () -> au.authDisable(AuthDisableRequest.getDefaultInstance()));
            rec(out, "authenticate-bad", () -> au.authenticate(AuthenticateRequest.newBuilder().setName("root")
                    .setPassword("nope").build()));
            rec(out, "user-add", () -> au.userAdd(AuthUserAddRequest.newBuilder().setName("x").setPassword("y").build()));
            rec(out, "user-get", () -> au.userGet(AuthUserGetRequest.newBuilder().setName("root").build()));
            rec(out, "user-list", () -> au.userList(AuthUserListRequest.getDefaultInstance()));
            rec(out, "role-get", () -> au.roleGet(AuthRoleGetRequest.newBuilder().setRole("root").build()));
            rec(out, "role-list", () -> au.roleList(AuthRoleListRequest.getDefaultInstance()));

            // u1 may read k but not write: Lock's txn on k/... is refused for a token-less caller
            LockGrpc.LockBlockingStub lock = LockGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "lock", () -> lock.lock(LockRequest.newBuilder().setName(bs("k")).build()));
            rec(out, "unlock", () -> lock.unlock(UnlockRequest.newBuilder().setKey(bs("k/1")).build()));
            ElectionGrpc.ElectionBlockingStub el =
                    ElectionGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            rec(out, "campaign", () -> el.campaign(CampaignRequest.newBuilder().setName(bs("e")).setValue(bs("v"))
                    .build()));
            rec(out, "leader", () -> el.leader(LeaderRequest.newBuilder().setName(bs("e")).build()));

            // and with a token that is not one
            KVGrpc.KVBlockingStub bogus = kv.withInterceptors(token("bogus.1"));
            rec(out, "range-bogus-token", () -> bogus.range(RangeRequest.newBuilder().setKey(bs("k")).build()));
        } finally {
            ch.shutdownNow();
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
        return out.toString()
                .replaceAll("(cluster_id|member_id|ID|memberID|revision|raft_term): \\d+", "$1: N")
                .replaceAll("(peerURLs|clientURLs|name): \"[^\"]*\"", "$1: U");
    }

    private static ClientInterceptor token(String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return MetadataUtils.newAttachHeadersInterceptor(md);
    }

    /** A watch create request on key, and the first answer (created and canceled when refused). */
    private static void watch(StringBuilder out, String label, WatchGrpc.WatchStub stub, String key)
            throws InterruptedException {
        BlockingQueue<WatchResponse> wq = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> w = stub.watch(LeaseTest.collect(wq));
        w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs(key))).build());
        WatchResponse created = wq.poll(30, TimeUnit.SECONDS);
        out.append(label).append(" -> ").append(created == null ? "nothing" : text(created.toBuilder().clearHeader()
                .build())).append('\n');
        w.onCompleted();
    }

    private static void rec(StringBuilder out, String label, Supplier<? extends Message> call) {
        try {
            Message m = call.get();
            out.append(label).append(" -> OK ").append(m.getClass().getSimpleName()).append('\n');
        } catch (StatusRuntimeException e) {
            out.append(label).append(" -> ERROR ").append(e.getStatus().getCode()).append(' ')
                    .append(e.getStatus().getDescription()).append('\n');
        }
    }

    private static String text(Message m) {
        return m.toString().replace('\n', ' ');
    }

    private static ManagedChannel channel(String endpoint) {
        URI u = URI.create(endpoint);
        return NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
