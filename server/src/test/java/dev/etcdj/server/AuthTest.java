package dev.etcdj.server;

import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.etcdserverpb.AuthEnableRequest;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGrantPermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthStatusRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.HashRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Auth semantics over gRPC: persistence, token rules, range coverage, watch and admin checks. */
class AuthTest extends ServerTestBase {
    private AuthGrpc.AuthBlockingStub auth() {
        return AuthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private String login(String user, String password) {
        return auth().authenticate(AuthenticateRequest.newBuilder().setName(user).setPassword(password).build())
                .getToken();
    }

    /** root (root role) and u1 with READ on [k/, k0) and on [a, b) + [b, c), WRITE on key w. */
    private void setUpUsersAndEnable() {
        AuthGrpc.AuthBlockingStub a = auth();
        a.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("pw").build());
        a.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
        a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        a.roleAdd(AuthRoleAddRequest.newBuilder().setName("r1").build());
        grant("r1", Permission.Type.READ, "k/", "k0");
        grant("r1", Permission.Type.READ, "a", "b");
        grant("r1", Permission.Type.READ, "b", "c");
        grant("r1", Permission.Type.WRITE, "w", "");
        a.userAdd(AuthUserAddRequest.newBuilder().setName("u1").setPassword("p1").build());
        a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("u1").setRole("r1").build());
        a.authEnable(AuthEnableRequest.getDefaultInstance());
    }

    private void grant(String role, Permission.Type type, String key, String end) {
        auth().roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName(role)
                .setPerm(Permission.newBuilder().setPermType(type).setKey(bs(key)).setRangeEnd(bs(end))).build());
    }

    private static RangeRequest range(String key, String end) {
        return RangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end)).build();
    }

    @Test
    void enableNeedsRootUserWithRootRole() {
        assertEtcdError(() -> auth().authEnable(AuthEnableRequest.getDefaultInstance()),
                Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist");
        auth().userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("pw").build());
        assertEtcdError(() -> auth().authEnable(AuthEnableRequest.getDefaultInstance()),
                Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role");
        assertEtcdError(() -> login("root", "pw"), Status.Code.FAILED_PRECONDITION,
                "etcdserver: authentication is not enabled");
    }

    @Test
    void keyPermissionsFollowEtcdsIntervalRules() {
        setUpUsersAndEnable();
        KVGrpc.KVBlockingStub u1 = withToken(kv, login("u1", "p1"));
        u1.range(range("k/x", ""));
        u1.range(range("k/", "k0"));
        u1.range(range("a", "c")); // covered by the union [a, b) + [b, c)
        assertEtcdError(() -> u1.range(range("k", "l")), Status.Code.PERMISSION_DENIED,
                "etcdserver: permission denied");
        assertEtcdError(() -> u1.range(range("a", "d")), Status.Code.PERMISSION_DENIED,
                "etcdserver: permission denied");
        u1.put(PutRequest.newBuilder().setKey(bs("w")).setValue(bs("1")).build());
        assertEtcdError(() -> u1.put(PutRequest.newBuilder().setKey(bs("w")).setValue(bs("2")).setPrevKv(true).build()),
                Status.Code.PERMISSION_DENIED, "etcdserver: permission denied");
        TxnRequest txn = TxnRequest.newBuilder().addCompare(Compare.newBuilder().setKey(bs("zzz"))
                .setTarget(Compare.CompareTarget.VERSION).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestRange(range("k/a", ""))).build();
        assertEtcdError(() -> u1.txn(txn), Status.Code.PERMISSION_DENIED, "etcdserver: permission denied");
        TxnRequest nested = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestTxn(
                TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(bs("secret")).setValue(bs("x")))))).build();
        assertEtcdError(() -> u1.txn(nested), Status.Code.PERMISSION_DENIED, "etcdserver: permission denied");
        withToken(kv, login("root", "pw")).range(range("\0", "\0"));
    }

    @Test
    void tokensAreRequiredCheckedAndRejectedWhenBogus() {
        assertEtcdError(() -> withToken(kv, "bogus.1").range(range("a", "")), Status.Code.UNAUTHENTICATED,
                "etcdserver: invalid auth token");
        setUpUsersAndEnable();
        assertEtcdError(() -> get("foo"), Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
        assertEtcdError(() -> login("root", "bad"), Status.Code.INVALID_ARGUMENT,
                "etcdserver: authentication failed, invalid user ID or password");
        String token = login("root", "pw");
        assertThat(token).matches("[a-zA-Z]{16}\\.\\d+");
        // LeaseGrant and Status work without a token, as in etcd 3.4
        assertThat(lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID()).isNotZero();
        assertThat(maintenance.status(StatusRequest.getDefaultInstance()).getVersion()).isEqualTo("3.4.23");
        MaintenanceGrpc.MaintenanceBlockingStub asU1 = withToken(maintenance, login("u1", "p1"));
        assertEtcdError(() -> asU1.hash(HashRequest.getDefaultInstance()), Status.Code.UNKNOWN,
                "auth: permission denied");
        assertEtcdError(() -> maintenance.hash(HashRequest.getDefaultInstance()), Status.Code.UNKNOWN,
                "auth: user name is empty");
        withToken(maintenance, token).hash(HashRequest.getDefaultInstance());
        assertThat(auth().authStatus(AuthStatusRequest.getDefaultInstance()).getEnabled()).isTrue();
    }

    @Test
    void deniedWatchIsCreatedAndCanceledWithTheReason() throws Exception {
        setUpUsersAndEnable();
        LinkedBlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> req = withToken(watch, login("u1", "p1")).watch(collect(got));
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs("foo"))).build());
        WatchResponse denied = got.poll(10, TimeUnit.SECONDS);
        assertThat(denied).isNotNull();
        assertThat(denied.getCreated()).isTrue();
        assertThat(denied.getCanceled()).isTrue();
        assertThat(denied.getCancelReason())
                .isEqualTo("rpc error: code = PermissionDenied desc = etcdserver: permission denied");
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs("k/a"))).build());
        WatchResponse ok = got.poll(10, TimeUnit.SECONDS);
        assertThat(ok).isNotNull();
        assertThat(ok.getCreated()).isTrue();
        assertThat(ok.getCanceled()).isFalse();
        req.onCompleted();
    }

    @Test
    void restartKeepsUsersRolesAndTheEnabledFlag() throws Exception {
        Path dir = Files.createTempDirectory("etcdj-auth-");
        try {
            disconnect();
            server.close();
            server = EtcdServer.builder().dataDir(dir).listenClientUrls(List.of("http://127.0.0.1:0")).build();
            server.start();
            connect();
            setUpUsersAndEnable();
            withToken(kv, login("root", "pw")).put(PutRequest.newBuilder().setKey(bs("k/x")).setValue(bs("v")).build());
            long revision = auth().authStatus(AuthStatusRequest.getDefaultInstance()).getAuthRevision();
            disconnect();
            server.close();
            server = EtcdServer.builder().dataDir(dir).listenClientUrls(List.of("http://127.0.0.1:0")).build();
            server.start();
            connect();
            assertThat(auth().authStatus(AuthStatusRequest.getDefaultInstance()).getAuthRevision()).isEqualTo(revision);
            assertEtcdError(() -> get("k/x"), Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
            KVGrpc.KVBlockingStub u1 = withToken(kv, login("u1", "p1"));
            assertThat(str(u1.range(range("k/x", "")).getKvs(0).getValue())).isEqualTo("v");
            assertEtcdError(() -> u1.range(range("foo", "")), Status.Code.PERMISSION_DENIED,
                    "etcdserver: permission denied");
        } finally {
            disconnect();
            server.close();
            server = null;
            Backend.deleteRecursively(dir);
        }
    }

    @Test
    void roleDeletionTakesPermissionsAway() {
        setUpUsersAndEnable();
        KVGrpc.KVBlockingStub u1 = withToken(kv, login("u1", "p1"));
        u1.range(range("k/a", ""));
        withToken(auth(), login("root", "pw")).roleDelete(
                dev.etcdj.proto.etcdserverpb.AuthRoleDeleteRequest.newBuilder().setRole("r1").build());
        assertEtcdError(() -> u1.range(range("k/a", "")), Status.Code.PERMISSION_DENIED,
                "etcdserver: permission denied");
    }
}
