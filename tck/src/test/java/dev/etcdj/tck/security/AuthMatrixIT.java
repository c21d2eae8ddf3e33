package dev.etcdj.tck.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.etcdserverpb.*;
import dev.etcdj.proto.v3electionpb.CampaignRequest;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3electionpb.LeaderKey;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import dev.etcdj.proto.v3electionpb.ProclaimRequest;
import dev.etcdj.proto.v3electionpb.ResignRequest;
import dev.etcdj.proto.v3lockpb.LockGrpc;
import dev.etcdj.proto.v3lockpb.LockRequest;
import dev.etcdj.proto.v3lockpb.UnlockRequest;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdjServerTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With auth enabled, every RPC of every service of etcd 3.4 (KV, Watch, Lease, Cluster,
 * Maintenance, Auth, Lock, Election) is called with no token, with an invalid token, as a user
 * who may only read {@code a/}, and as root, on a real etcd and on our server; every answer must be
 * etcd's (status code and message, or what a success shows). Ranges, watches, txn compares and
 * deletes that reach outside {@code a/} must be refused to that user, never answered with keys
 * outside it. The whole table is left in {@code target/auth-matrix-<target>.txt}.
 */
class AuthMatrixIT {
    private static final long LEASE = 0x1234;
    private static final ByteString A_FROM = bs("a/");
    private static final ByteString A_END = bs("a0");

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private interface Row {
        String call(RpcProbe probe, String token) throws Exception;
    }

    private static String keys(List<dev.etcdj.proto.mvccpb.KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.getKey().toStringUtf8()).collect(Collectors.joining(",", "[", "]"));
    }

    private static String txn(TxnResponse r) {
        return "succeeded=" + r.getSucceeded() + " " + r.getResponsesList().stream()
                .map(o -> keys(o.getResponseRange().getKvsList())).collect(Collectors.joining());
    }

    private static String watch(WatchResponse r) {
        return (r.getCreated() ? "created " : "") + (r.getCanceled() ? "canceled(" + r.getCancelReason() + ") " : "")
                + r.getEventsList().stream().map(e -> e.getType() + " " + e.getKv().getKey().toStringUtf8())
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static RangeRequest range(String key, String end) {
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(bs(key));
        if (end != null) {
            b.setRangeEnd(bs(end));
        }
        return b.build();
    }

    private static WatchRequest watchCreate(String key, String end) {
        WatchCreateRequest.Builder c = WatchCreateRequest.newBuilder().setKey(bs(key)).setStartRevision(1);
        if (end != null) {
            c.setRangeEnd(bs(end));
        }
        return WatchRequest.newBuilder().setCreateRequest(c).build();
    }

    /** Every row: name -> call. Order matters only at the end (auth disable comes last). */
    private static Map<String, Row> rows() {
        Map<String, Row> rows = new LinkedHashMap<>();
        // KV, and the leak checks of the read-only-a/ user
        rows.put("KV.Range a/1", (p, t) -> p.unary(t, KVGrpc.getRangeMethod(), range("a/1", null), r -> keys(r.getKvsList())));
        rows.put("KV.Range a/ prefix", (p, t) -> p.unary(t, KVGrpc.getRangeMethod(), range("a/", "a0"), r -> keys(r.getKvsList())));
        rows.put("KV.Range b/1", (p, t) -> p.unary(t, KVGrpc.getRangeMethod(), range("b/1", null), r -> keys(r.getKvsList())));
        rows.put("KV.Range all keys", (p, t) -> p.unary(t, KVGrpc.getRangeMethod(), range("\0", "\0"), r -> keys(r.getKvsList())));
        rows.put("KV.Range a/..b/2 (straddles)", (p, t) -> p.unary(t, KVGrpc.getRangeMethod(), range("a/", "b/2"), r -> keys(r.getKvsList())));
        rows.put("KV.Range count-only all", (p, t) -> p.unary(t, KVGrpc.getRangeMethod(),
                RangeRequest.newBuilder().setKey(bs("\0")).setRangeEnd(bs("\0")).setCountOnly(true).build(), r -> "count " + r.getCount()));
        rows.put("KV.Put a/9", (p, t) -> p.unary(t, KVGrpc.getPutMethod(),
                PutRequest.newBuilder().setKey(bs("a/9")).setValue(bs("x")).build(), r -> "put"));
        rows.put("KV.DeleteRange b/zz", (p, t) -> p.unary(t, KVGrpc.getDeleteRangeMethod(),
                DeleteRangeRequest.newBuilder().setKey(bs("b/zz")).build(), r -> "deleted " + r.getDeleted()));
        rows.put("KV.DeleteRange all keys", (p, t) -> p.unary(t, KVGrpc.getDeleteRangeMethod(),
                DeleteRangeRequest.newBuilder().setKey(bs("zz/")).setRangeEnd(bs("\0")).build(), r -> "deleted " + r.getDeleted()));
        rows.put("KV.Txn compare b/1, get a/1", (p, t) -> p.unary(t, KVGrpc.getTxnMethod(), TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("b/1")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestRange(range("a/1", null))).build(),
                AuthMatrixIT::txn));
        rows.put("KV.Txn compare a/1, else get b/1", (p, t) -> p.unary(t, KVGrpc.getTxnMethod(), TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("a/1")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL).setVersion(0))
                .addFailure(RequestOp.newBuilder().setRequestRange(range("b/1", null))).build(),
                AuthMatrixIT::txn));
        rows.put("KV.Txn compare a/ prefix, get a/ prefix", (p, t) -> p.unary(t, KVGrpc.getTxnMethod(), TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(A_FROM).setRangeEnd(A_END).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestRange(range("a/", "a0"))).build(),
                AuthMatrixIT::txn));
        // Watch
        rows.put("Watch a/ prefix from 1", (p, t) -> p.bidi(t, WatchGrpc.getWatchMethod(), watchCreate("a/", "a0"), AuthMatrixIT::watch));
        rows.put("Watch b/1", (p, t) -> p.bidi(t, WatchGrpc.getWatchMethod(), watchCreate("b/1", null), AuthMatrixIT::watch));
        rows.put("Watch all keys", (p, t) -> p.bidi(t, WatchGrpc.getWatchMethod(), watchCreate("\0", "\0"), AuthMatrixIT::watch));
        rows.put("KV.Compact", (p, t) -> p.unary(t, KVGrpc.getCompactMethod(),
                CompactionRequest.newBuilder().setRevision(2).build(), r -> "compacted"));
        // Lease
        rows.put("Lease.Grant", (p, t) -> p.unary(t, LeaseGrpc.getLeaseGrantMethod(),
                LeaseGrantRequest.newBuilder().setTTL(60).build(), r -> "ttl " + r.getTTL() + " " + r.getError()));
        rows.put("Lease.Revoke unknown", (p, t) -> p.unary(t, LeaseGrpc.getLeaseRevokeMethod(),
                LeaseRevokeRequest.newBuilder().setID(999).build(), r -> "revoked"));
        rows.put("Lease.TimeToLive", (p, t) -> p.unary(t, LeaseGrpc.getLeaseTimeToLiveMethod(),
                LeaseTimeToLiveRequest.newBuilder().setID(LEASE).build(), r -> "granted " + r.getGrantedTTL()));
        rows.put("Lease.Leases", (p, t) -> p.unary(t, LeaseGrpc.getLeaseLeasesMethod(),
                LeaseLeasesRequest.getDefaultInstance(), r -> "leases"));
        rows.put("Lease.KeepAlive", (p, t) -> p.bidi(t, LeaseGrpc.getLeaseKeepAliveMethod(),
                LeaseKeepAliveRequest.newBuilder().setID(LEASE).build(), r -> "ttl>0=" + (r.getTTL() > 0)));
        // Cluster (arguments chosen so that a permitted call changes nothing)
        rows.put("Cluster.MemberList", (p, t) -> p.unary(t, ClusterGrpc.getMemberListMethod(),
                MemberListRequest.getDefaultInstance(), r -> r.getMembersCount() + " members"));
        rows.put("Cluster.MemberAdd bad URL", (p, t) -> p.unary(t, ClusterGrpc.getMemberAddMethod(),
                MemberAddRequest.newBuilder().addPeerURLs("not a url").build(), r -> "added"));
        rows.put("Cluster.MemberRemove unknown", (p, t) -> p.unary(t, ClusterGrpc.getMemberRemoveMethod(),
                MemberRemoveRequest.newBuilder().setID(1).build(), r -> "removed"));
        rows.put("Cluster.MemberUpdate unknown", (p, t) -> p.unary(t, ClusterGrpc.getMemberUpdateMethod(),
                MemberUpdateRequest.newBuilder().setID(1).addPeerURLs("http://127.0.0.1:1").build(), r -> "updated"));
        rows.put("Cluster.MemberPromote unknown", (p, t) -> p.unary(t, ClusterGrpc.getMemberPromoteMethod(),
                MemberPromoteRequest.newBuilder().setID(1).build(), r -> "promoted"));
        // Maintenance
        rows.put("Maintenance.Alarm get", (p, t) -> p.unary(t, MaintenanceGrpc.getAlarmMethod(),
                AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build(), r -> r.getAlarmsCount() + " alarms"));
        rows.put("Maintenance.Status", (p, t) -> p.unary(t, MaintenanceGrpc.getStatusMethod(),
                StatusRequest.getDefaultInstance(), r -> "status"));
        rows.put("Maintenance.Defragment", (p, t) -> p.unary(t, MaintenanceGrpc.getDefragmentMethod(),
                DefragmentRequest.getDefaultInstance(), r -> "defragmented"));
        rows.put("Maintenance.Hash", (p, t) -> p.unary(t, MaintenanceGrpc.getHashMethod(),
                HashRequest.getDefaultInstance(), r -> "hash"));
        rows.put("Maintenance.HashKV", (p, t) -> p.unary(t, MaintenanceGrpc.getHashKVMethod(),
                HashKVRequest.getDefaultInstance(), r -> "hashkv"));
        rows.put("Maintenance.Snapshot", (p, t) -> p.serverStream(t, MaintenanceGrpc.getSnapshotMethod(),
                SnapshotRequest.getDefaultInstance(), r -> "chunk"));
        rows.put("Maintenance.MoveLeader unknown", (p, t) -> p.unary(t, MaintenanceGrpc.getMoveLeaderMethod(),
                MoveLeaderRequest.newBuilder().setTargetID(1).build(), r -> "moved"));
        // Auth
        rows.put("Auth.AuthEnable", (p, t) -> p.unary(t, AuthGrpc.getAuthEnableMethod(), AuthEnableRequest.getDefaultInstance(), r -> "enabled"));
        rows.put("Auth.Authenticate wrong password", (p, t) -> p.unary(t, AuthGrpc.getAuthenticateMethod(),
                AuthenticateRequest.newBuilder().setName("alice").setPassword("wrong").build(), r -> "token"));
        rows.put("Auth.UserAdd", (p, t) -> p.unary(t, AuthGrpc.getUserAddMethod(),
                AuthUserAddRequest.newBuilder().setName("carol-" + (t == null ? "none" : t.length())).setPassword("pw").build(), r -> "added"));
        rows.put("Auth.UserGet alice", (p, t) -> p.unary(t, AuthGrpc.getUserGetMethod(),
                AuthUserGetRequest.newBuilder().setName("alice").build(), r -> "roles " + r.getRolesList()));
        rows.put("Auth.UserList", (p, t) -> p.unary(t, AuthGrpc.getUserListMethod(), AuthUserListRequest.getDefaultInstance(), r -> "users"));
        rows.put("Auth.UserDelete unknown", (p, t) -> p.unary(t, AuthGrpc.getUserDeleteMethod(),
                AuthUserDeleteRequest.newBuilder().setName("nobody").build(), r -> "deleted"));
        rows.put("Auth.UserChangePassword unknown", (p, t) -> p.unary(t, AuthGrpc.getUserChangePasswordMethod(),
                AuthUserChangePasswordRequest.newBuilder().setName("nobody").setPassword("x").build(), r -> "changed"));
        rows.put("Auth.UserGrantRole unknown", (p, t) -> p.unary(t, AuthGrpc.getUserGrantRoleMethod(),
                AuthUserGrantRoleRequest.newBuilder().setUser("nobody").setRole("reader").build(), r -> "granted"));
        rows.put("Auth.UserRevokeRole unknown", (p, t) -> p.unary(t, AuthGrpc.getUserRevokeRoleMethod(),
                AuthUserRevokeRoleRequest.newBuilder().setName("nobody").setRole("reader").build(), r -> "revoked"));
        rows.put("Auth.RoleAdd", (p, t) -> p.unary(t, AuthGrpc.getRoleAddMethod(),
                AuthRoleAddRequest.newBuilder().setName("r-" + (t == null ? "none" : t.length())).build(), r -> "added"));
        rows.put("Auth.RoleGet reader", (p, t) -> p.unary(t, AuthGrpc.getRoleGetMethod(),
                AuthRoleGetRequest.newBuilder().setRole("reader").build(), r -> r.getPermCount() + " perms"));
        rows.put("Auth.RoleList", (p, t) -> p.unary(t, AuthGrpc.getRoleListMethod(), AuthRoleListRequest.getDefaultInstance(), r -> "roles"));
        rows.put("Auth.RoleDelete unknown", (p, t) -> p.unary(t, AuthGrpc.getRoleDeleteMethod(),
                AuthRoleDeleteRequest.newBuilder().setRole("nope").build(), r -> "deleted"));
        rows.put("Auth.RoleGrantPermission unknown", (p, t) -> p.unary(t, AuthGrpc.getRoleGrantPermissionMethod(),
                AuthRoleGrantPermissionRequest.newBuilder().setName("nope").setPerm(Permission.newBuilder()
                        .setPermType(Permission.Type.READ).setKey(bs("z"))).build(), r -> "granted"));
        rows.put("Auth.RoleRevokePermission unknown", (p, t) -> p.unary(t, AuthGrpc.getRoleRevokePermissionMethod(),
                AuthRoleRevokePermissionRequest.newBuilder().setRole("nope").setKey(bs("z")).build(), r -> "revoked"));
        // Lock and Election, on a lease made before auth was enabled
        rows.put("Lock.Lock", (p, t) -> p.unary(t, LockGrpc.getLockMethod(),
                LockRequest.newBuilder().setName(bs("lk/" + (t == null ? "none" : t.length()))).setLease(LEASE).build(), r -> "locked"));
        rows.put("Lock.Unlock unknown", (p, t) -> p.unary(t, LockGrpc.getUnlockMethod(),
                UnlockRequest.newBuilder().setKey(bs("lk/nothing")).build(), r -> "unlocked"));
        rows.put("Election.Campaign", (p, t) -> p.unary(t, ElectionGrpc.getCampaignMethod(),
                CampaignRequest.newBuilder().setName(bs("el/x")).setLease(LEASE).setValue(bs("v")).build(), r -> "leader"));
        rows.put("Election.Leader", (p, t) -> p.unary(t, ElectionGrpc.getLeaderMethod(),
                LeaderRequest.newBuilder().setName(bs("el/x")).build(), r -> "leader value " + r.getKv().getValue().toStringUtf8()));
        rows.put("Election.Observe", (p, t) -> p.serverStream(t, ElectionGrpc.getObserveMethod(),
                LeaderRequest.newBuilder().setName(bs("el/x")).build(), r -> "leader value " + r.getKv().getValue().toStringUtf8()));
        rows.put("Election.Proclaim not leader", (p, t) -> p.unary(t, ElectionGrpc.getProclaimMethod(),
                ProclaimRequest.newBuilder().setLeader(LeaderKey.newBuilder().setName(bs("el/x")).setKey(bs("el/x/none"))
                        .setLease(LEASE)).setValue(bs("v2")).build(), r -> "proclaimed"));
        rows.put("Election.Resign not leader", (p, t) -> p.unary(t, ElectionGrpc.getResignMethod(),
                ResignRequest.newBuilder().setLeader(LeaderKey.newBuilder().setName(bs("el/x")).setKey(bs("el/x/none"))
                        .setLease(LEASE)).build(), r -> "resigned"));
        rows.put("Auth.AuthDisable", (p, t) -> p.unary(t, AuthGrpc.getAuthDisableMethod(), AuthDisableRequest.getDefaultInstance(), r -> "disabled"));
        return rows;
    }

    /** Users, roles, keys and a lease, then auth on; returns the tokens of alice and root. */
    private static Map<String, String> setUp(RpcProbe p) {
        List<String> setup = new ArrayList<>();
        for (String k : List.of("a/1", "a/2", "b/1")) {
            setup.add(p.unary(null, KVGrpc.getPutMethod(), PutRequest.newBuilder().setKey(bs(k)).setValue(bs("v")).build(), r -> ""));
        }
        setup.add(p.unary(null, LeaseGrpc.getLeaseGrantMethod(), LeaseGrantRequest.newBuilder().setID(LEASE).setTTL(600).build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getUserAddMethod(), AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getUserGrantRoleMethod(), AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getUserAddMethod(), AuthUserAddRequest.newBuilder().setName("alice").setPassword("alicepw").build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getRoleAddMethod(), AuthRoleAddRequest.newBuilder().setName("reader").build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getRoleGrantPermissionMethod(), AuthRoleGrantPermissionRequest.newBuilder().setName("reader")
                .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(A_FROM).setRangeEnd(A_END)).build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getUserGrantRoleMethod(), AuthUserGrantRoleRequest.newBuilder().setUser("alice").setRole("reader").build(), r -> ""));
        setup.add(p.unary(null, AuthGrpc.getAuthEnableMethod(), AuthEnableRequest.getDefaultInstance(), r -> ""));
        assertThat(setup).allMatch(s -> s.startsWith("OK"));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("no-token", null);
        tokens.put("invalid-token", "bogus.1");
        tokens.put("alice(read a/)", token(p, "alice", "alicepw"));
        tokens.put("root", token(p, "root", "rootpw"));
        return tokens;
    }

    private static String token(RpcProbe p, String user, String password) {
        String[] token = new String[1];
        String r = p.unary(null, AuthGrpc.getAuthenticateMethod(),
                AuthenticateRequest.newBuilder().setName(user).setPassword(password).build(), a -> token[0] = a.getToken());
        assertThat(r).startsWith("OK");
        return token[0];
    }

    private static List<String> matrix(EtcdTarget target) throws Exception {
        target.start();
        try (RpcProbe probe = new RpcProbe(target.endpoint())) {
            // The first call on a loaded machine may outlast the probe's deadline: wait for an answer first.
            Await.until(Duration.ofSeconds(60), target.name() + " answers", () -> probe.unary(null,
                    MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(), r -> "").startsWith("OK"));
            Map<String, String> identities = setUp(probe);
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, Row> row : rows().entrySet()) {
                for (Map.Entry<String, String> id : identities.entrySet()) {
                    lines.add(row.getKey() + " | " + id.getKey() + " | " + row.getValue().call(probe, id.getValue()));
                }
            }
            Files.writeString(Path.of("target", "auth-matrix-" + target.name() + ".txt"), String.join("\n", lines) + "\n");
            return lines;
        } finally {
            target.close();
        }
    }

    @Test
    void everyRpcAnswersLikeEtcdForEveryIdentity() throws Exception {
        List<String> etcd = matrix(EtcdProcess.builder().build());
        List<String> ours = matrix(new EtcdjServerTarget());
        assertThat(ours).hasSameSizeAs(etcd);
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < etcd.size(); i++) {
            if (!etcd.get(i).equals(ours.get(i))) {
                diffs.add("etcd:  " + etcd.get(i) + "\netcdj: " + ours.get(i));
            }
        }
        assertThat(diffs).as(String.join("\n", diffs)).isEmpty();
        // The read-only-a/ user never sees a key outside a/, whatever it asks.
        List<String> alice = ours.stream().filter(l -> l.contains("| alice(read a/) | OK"))
                .map(l -> l.substring(l.indexOf("| OK"))).toList();
        assertThat(alice).anyMatch(l -> l.contains("a/1")).noneMatch(l -> l.contains("b/"));
    }
}
