package dev.etcdj.server.internal.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.rpc.AuthHook;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The permission checks etcd 3.4 makes for each RPC, in one place:
 * <ul>
 *   <li>every call that goes through raft in etcd (writes, Compact, LeaseGrant/Revoke, Alarm) and
 *       every KV read validates the token, even while auth is disabled;</li>
 *   <li>Range/Txn/Put/DeleteRange/LeaseRevoke check key permissions; member changes need root;</li>
 *   <li>Hash, HashKV, Defragment and Snapshot need root and fail with etcd's raw, unmapped
 *       "auth: …" text (gRPC Unknown);</li>
 *   <li>a refused watch becomes a created+canceled response saying "permission denied";</li>
 *   <li>Status, MemberList, MoveLeader, LeaseTimeToLive and LeaseLeases are not checked.</li>
 * </ul>
 * Nested txns are checked too (etcd 3.4.23 skips them, which lets a nested txn bypass checks).
 */
final class AuthGuard implements AuthHook {
    private final AuthStore store;

    AuthGuard(AuthStore store) {
        this.store = store;
    }

    /**
     * The calling user: the token's (validating it: an unknown or expired one fails the call), else the
     * client certificate's Common Name under client certificate auth, else null.
     */
    static String caller(AuthStore store) {
        String token = AuthHook.TOKEN.get();
        return token != null ? store.userOf(token) : AuthHook.CERT_USER.get();
    }

    @Override
    public void check(String method, Message request) {
        switch (method) {
            case "etcdserverpb.KV/Range" -> {
                RangeRequest r = (RangeRequest) request;
                String user = caller(store);
                store.checkKeys(store.state(), user, false, r.getKey(), r.getRangeEnd());
            }
            case "etcdserverpb.KV/Put" -> checkPut(store.state(), caller(store), (PutRequest) request);
            case "etcdserverpb.KV/DeleteRange" ->
                checkDelete(store.state(), caller(store), (DeleteRangeRequest) request);
            case "etcdserverpb.KV/Txn" -> checkTxn(store.state(), caller(store), (TxnRequest) request);
            case "etcdserverpb.Lease/LeaseRevoke" ->
                checkLeaseKeys(store.state(), caller(store), ((LeaseRevokeRequest) request).getID());
            case "etcdserverpb.KV/Compact", "etcdserverpb.Lease/LeaseGrant", "etcdserverpb.Maintenance/Alarm" ->
                caller(store);
            case "etcdserverpb.Cluster/MemberAdd", "etcdserverpb.Cluster/MemberRemove",
                    "etcdserverpb.Cluster/MemberUpdate", "etcdserverpb.Cluster/MemberPromote" ->
                store.checkAdmin(store.state(), caller(store));
            case "etcdserverpb.Maintenance/Hash", "etcdserverpb.Maintenance/HashKV",
                    "etcdserverpb.Maintenance/Defragment", "etcdserverpb.Maintenance/Snapshot" -> {
                try {
                    store.checkAdmin(store.state(), caller(store));
                } catch (StatusRuntimeException e) {
                    throw raw(e);
                }
            }
            case "etcdserverpb.Watch/Watch" -> {
                WatchCreateRequest r = (WatchCreateRequest) request;
                try {
                    store.checkKeys(store.state(), caller(store), false, r.getKey(), r.getRangeEnd());
                } catch (StatusRuntimeException e) {
                    // etcd answers any refusal (bad token included) with "permission denied"
                    throw EtcdException.of(WireError.PERMISSION_DENIED);
                }
            }
            default -> {
                // Status, MemberList, MoveLeader, LeaseTimeToLive, LeaseLeases: no check in etcd 3.4
            }
        }
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
        for (byte[] k : store.core().lessor().timeToLive(leaseId, true).keys()) {
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
