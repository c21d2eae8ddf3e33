package dev.etcdj.server.internal.auth;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3lockpb.LockGrpc;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.lease.Lessor;
import dev.etcdj.server.internal.rpc.ClusterService;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The permission checks etcd 3.4 makes for each RPC, in one table keyed on the gRPC method:
 * <ul>
 *   <li>every call that goes through raft in etcd (writes, Compact, LeaseGrant/Revoke, Alarm) and
 *       every KV read validates the token, even while auth is disabled;</li>
 *   <li>Range/Txn/Put/DeleteRange/LeaseRevoke check key permissions; member changes need root;</li>
 *   <li>Hash, HashKV, Defragment and Snapshot need root and fail with etcd's raw, unmapped
 *       "auth: …" text (gRPC Unknown);</li>
 *   <li>a refused watch becomes a created+canceled response naming the refusal as etcd does;</li>
 *   <li>Status, MemberList, MoveLeader, LeaseKeepAlive, LeaseTimeToLive and LeaseLeases are not checked;</li>
 *   <li>Lock and Election are checked per KV operation they make, as the caller; the Auth service
 *       checks admin rights atomically with each change.</li>
 * </ul>
 * Nested txns are checked too (etcd 3.4.23 skips them, which lets a nested txn bypass checks).
 * A method missing from the table is refused ({@link #checkAtEdge}).
 */
public final class AuthGuard implements Authorizer {

    /** One method's check, given the resolved store state and the caller. */
    @FunctionalInterface
    private interface Check {
        void run(Caller caller, Object request);
    }

    /** A method's check and whether the gRPC edge makes it (else: where the request is served). */
    private record Rule(boolean atEdge, Check check) {
    }

    private final AuthStore store;
    private final Lessor lessor;
    private final Map<String, Rule> rules = new HashMap<>();

    public AuthGuard(AuthStore store, Lessor lessor) {
        this.store = store;
        this.lessor = lessor;
        Check none = (c, r) -> {
        };
        // checked where served: the KV layer (for gRPC, Lock, Election and the gateway alike)
        served(KVGrpc.getRangeMethod(), (c, r) -> {
            RangeRequest q = (RangeRequest) r;
            store.checkKeys(store.state(), user(c), false, q.getKey(), q.getRangeEnd());
        });
        served(KVGrpc.getPutMethod(), (c, r) -> checkPut(store.state(), user(c), (PutRequest) r));
        served(KVGrpc.getDeleteRangeMethod(), (c, r) -> checkDelete(store.state(), user(c), (DeleteRangeRequest) r));
        served(KVGrpc.getTxnMethod(), (c, r) -> checkTxn(store.state(), user(c), (TxnRequest) r));
        served(KVGrpc.getCompactMethod(), (c, r) -> user(c));
        // each create request on a watch stream
        served(WatchGrpc.getWatchMethod(), (c, r) -> {
            WatchCreateRequest q = (WatchCreateRequest) r;
            try {
                store.checkKeys(store.state(), user(c), false, q.getKey(), q.getRangeEnd());
            } catch (StatusRuntimeException e) {
                // etcd 3.4.23 names a bad token, an old auth revision and a missing user; any
                // other refusal is "permission denied"
                WireError why = WireError.fromMessage(e.getStatus().getDescription());
                if (why != WireError.INVALID_AUTH_TOKEN && why != WireError.AUTH_OLD_REVISION
                        && why != WireError.USER_EMPTY) {
                    throw EtcdException.of(WireError.PERMISSION_DENIED);
                }
                throw e;
            }
        });
        // Lock and Election act through the KV layer as their caller; Auth checks admin in its mutation
        for (ServiceDescriptor d : List.of(LockGrpc.getServiceDescriptor(), ElectionGrpc.getServiceDescriptor(),
                AuthGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> m : d.getMethods()) {
                served(m, none);
            }
        }
        // checked at the gRPC edge
        edge(LeaseGrpc.getLeaseGrantMethod(), (c, r) -> user(c));
        edge(MaintenanceGrpc.getAlarmMethod(), (c, r) -> {
            try {
                user(c);
            } catch (StatusRuntimeException e) {
                throw raw(e); // etcd 3.4.23: a bad token on Alarm is gRPC Unknown "auth: invalid auth token"
            }
        });
        edge(LeaseGrpc.getLeaseRevokeMethod(),
                (c, r) -> checkLeaseKeys(store.state(), user(c), ((LeaseRevokeRequest) r).getID()));
        Check admin = (c, r) -> store.checkAdmin(store.state(), user(c));
        // etcd 3.4 validates the peer URLs of MemberAdd before it looks at the caller
        edge(ClusterGrpc.getMemberAddMethod(), (c, r) -> {
            ClusterService.parseUrls(((MemberAddRequest) r).getPeerURLsList());
            admin.run(c, r);
        });
        for (MethodDescriptor<?, ?> m : List.of(ClusterGrpc.getMemberRemoveMethod(),
                ClusterGrpc.getMemberUpdateMethod(), ClusterGrpc.getMemberPromoteMethod())) {
            edge(m, admin);
        }
        Check rawAdmin = (c, r) -> {
            try {
                store.checkAdmin(store.state(), user(c));
            } catch (StatusRuntimeException e) {
                throw raw(e);
            }
        };
        for (MethodDescriptor<?, ?> m : List.of(MaintenanceGrpc.getHashMethod(), MaintenanceGrpc.getHashKVMethod(),
                MaintenanceGrpc.getDefragmentMethod(), MaintenanceGrpc.getSnapshotMethod())) {
            edge(m, rawAdmin);
        }
        for (MethodDescriptor<?, ?> m : List.of(MaintenanceGrpc.getStatusMethod(), MaintenanceGrpc.getMoveLeaderMethod(),
                MaintenanceGrpc.getDowngradeMethod(), ClusterGrpc.getMemberListMethod(),
                LeaseGrpc.getLeaseKeepAliveMethod(), LeaseGrpc.getLeaseTimeToLiveMethod(),
                LeaseGrpc.getLeaseLeasesMethod())) {
            edge(m, none); // etcd 3.4 checks nothing here
        }
    }

    private void served(MethodDescriptor<?, ?> m, Check check) {
        rules.put(m.getFullMethodName(), new Rule(false, check));
    }

    private void edge(MethodDescriptor<?, ?> m, Check check) {
        rules.put(m.getFullMethodName(), new Rule(true, check));
    }

    /** Whether the table has a rule for the method (a method without one is refused). */
    public boolean covers(MethodDescriptor<?, ?> method) {
        return rules.containsKey(method.getFullMethodName());
    }

    @Override
    public void checkAtEdge(Caller caller, MethodDescriptor<?, ?> method, Object request) {
        Rule rule = rule(method);
        if (rule.atEdge()) {
            rule.check().run(caller, request);
        }
    }

    @Override
    public void check(Caller caller, MethodDescriptor<?, ?> method, Object request) {
        rule(method).check().run(caller, request);
    }

    private Rule rule(MethodDescriptor<?, ?> method) {
        Rule rule = rules.get(method.getFullMethodName());
        if (rule == null) {
            throw EtcdException.of(WireError.PERMISSION_DENIED);
        }
        return rule;
    }

    private String user(Caller caller) {
        return store.user(caller);
    }

    void checkPut(AuthStore.State s, String user, PutRequest r) {
        store.checkKeys(s, user, true, r.getKey(), ByteString.EMPTY);
        if (r.getLease() != 0) {
            checkLeaseKeys(s, user, r.getLease());
        }
        if (r.getPrevKv()) {
            store.checkKeys(s, user, false, r.getKey(), ByteString.EMPTY);
        }
    }

    void checkDelete(AuthStore.State s, String user, DeleteRangeRequest r) {
        store.checkKeys(s, user, true, r.getKey(), r.getRangeEnd());
        if (r.getPrevKv()) {
            store.checkKeys(s, user, false, r.getKey(), r.getRangeEnd());
        }
    }

    void checkTxn(AuthStore.State s, String user, TxnRequest r) {
        for (Compare c : r.getCompareList()) {
            store.checkKeys(s, user, false, c.getKey(), c.getRangeEnd());
        }
        for (java.util.List<RequestOp> ops : java.util.List.of(r.getSuccessList(), r.getFailureList())) {
            for (RequestOp op : ops) {
                switch (op.getRequestCase()) {
                    case REQUEST_RANGE -> store.checkKeys(s, user, false, op.getRequestRange().getKey(),
                            op.getRequestRange().getRangeEnd());
                    case REQUEST_PUT -> {
                        // etcd checks only WRITE on the key for a put inside a txn
                        store.checkKeys(s, user, true, op.getRequestPut().getKey(), ByteString.EMPTY);
                    }
                    case REQUEST_DELETE_RANGE -> {
                        DeleteRangeRequest d = op.getRequestDeleteRange();
                        if (d.getPrevKv()) {
                            store.checkKeys(s, user, false, d.getKey(), d.getRangeEnd());
                        }
                        store.checkKeys(s, user, true, d.getKey(), d.getRangeEnd());
                    }
                    case REQUEST_TXN -> checkTxn(s, user, op.getRequestTxn());
                    default -> {
                    }
                }
            }
        }
    }

    /** WRITE on every key already attached to the lease (etcd's checkLeasePuts). */
    void checkLeaseKeys(AuthStore.State s, String user, long leaseId) {
        if (!s.enabled()) {
            return;
        }
        for (byte[] k : lessor.timeToLive(leaseId, true).keys()) {
            store.checkKeys(s, user, true, ByteString.copyFrom(k), ByteString.EMPTY);
        }
    }

    /**
     * etcd's Maintenance guards return the auth store's error unmapped: gRPC Unknown with the raw
     * "auth: …" text ("auth: permission denied", "auth: user name is empty", "auth: user not found").
     */
    private static StatusRuntimeException raw(StatusRuntimeException mapped) {
        String d = mapped.getStatus().getDescription();
        String text = d != null && d.startsWith("etcdserver: ") ? "auth: " + d.substring(12) : d;
        if (WireError.USER_NOT_FOUND.message().equals(d)) {
            text = "auth: user not found";
        }
        return Status.UNKNOWN.withDescription(text).asRuntimeException();
    }
}
