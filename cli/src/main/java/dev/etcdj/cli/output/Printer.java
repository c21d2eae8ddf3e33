package dev.etcdj.cli.output;

import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.AuthResponse;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.HashKvResponse;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.MoveLeaderResponse;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.RoleListResponse;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.UserGetResponse;
import dev.etcdj.client.UserListResponse;
import dev.etcdj.client.WatchEvent;
import java.util.List;

/**
 * etcdctl 3.4's printer interface (printer.go): one method per response, one implementation per
 * {@code --write-out} format. What a format has no method for fails as etcdctl's printerUnsupported
 * does ({@link Unsupported}: "&lt;format&gt; not supported as output format", exit 4), or, where etcdctl
 * reaches a nil printer or header, with a Go {@link Panic}.
 */
public interface Printer {

    /** Thrown where etcdctl exits with ExitBadFeature: the format has no printer for this response. */
    final class Unsupported extends RuntimeException {
        public Unsupported(String format) {
            super(format + " not supported as output format", null, false, false);
        }
    }

    /** Thrown where etcdctl panics (a printer method it never implemented, or a nil header). */
    final class Panic extends RuntimeException {
        public Panic(String message) {
            super(message, null, false, false);
        }
    }

    String NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

    /** One endpoint's health, as etcdctl's epHealth; {@code error} empty when healthy. */
    record EpHealth(String endpoint, boolean health, String took, String error) {}

    record EpStatus(String endpoint, StatusResponse status) {}

    record EpHashKv(String endpoint, HashKvResponse hashKv) {}

    /** The --write-out name, as the errors give it. */
    String format();

    private Unsupported unsupported() {
        return new Unsupported(format());
    }

    // ---- key-value and lease ----

    /**
     * One response of a txn, printed as its own command prints it (etcdctl's printers do the same);
     * false for a kind that has no command here, which the caller prints its own way.
     */
    default boolean txnOp(OpResponse op) {
        if (op instanceof PutResponse p) {
            put(p);
        } else if (op instanceof GetResponse g) {
            get(g);
        } else if (op instanceof DeleteResponse d) {
            del(d);
        } else {
            return false;
        }
        return true;
    }

    default void get(GetResponse r) {
        throw unsupported();
    }

    default void put(PutResponse r) {
        throw unsupported();
    }

    default void del(DeleteResponse r) {
        throw unsupported();
    }

    default void txn(TxnResponse r) {
        throw unsupported();
    }

    /**
     * One watch response as etcdctl's clientv3.WatchResponse: events, or none for a progress notification
     * or a cancellation (then with the compact revision that caused it, if any).
     */
    default void watch(ResponseHeader header, List<WatchEvent> events, long compactRevision, boolean canceled) {
        throw unsupported();
    }

    default void grant(LeaseGrantResponse r) {
        throw unsupported();
    }

    default void revoke(long leaseId, LeaseRevokeResponse r) {
        throw unsupported();
    }

    default void keepAlive(LeaseKeepAliveResponse r) {
        throw unsupported();
    }

    default void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        throw unsupported();
    }

    default void leases(LeaseListResponse r) {
        throw unsupported();
    }

    // ---- cluster and maintenance ----

    default void memberAdd(MemberAddResponse r) {
        throw unsupported();
    }

    default void memberRemove(long id, MemberListResponse r) {
        throw unsupported();
    }

    default void memberUpdate(long id, MemberListResponse r) {
        throw unsupported();
    }

    /** etcdctl's printerRPC has no MemberPromote: every format but simple reaches a nil printer. */
    default void memberPromote(long id, MemberListResponse r) {
        throw new Panic(NIL_DEREF);
    }

    default void memberList(MemberListResponse r) {
        throw unsupported();
    }

    default void endpointHealth(List<EpHealth> hs) {
        throw unsupported();
    }

    default void endpointStatus(List<EpStatus> ss) {
        throw unsupported();
    }

    default void endpointHashKv(List<EpHashKv> hs) {
        throw unsupported();
    }

    /** snapshot status: hash, revision, total keys and size of an etcd snapshot file. */
    default void dbStatus(long hash, long revision, long totalKey, long totalSize) {
        throw unsupported();
    }

    default void alarm(AlarmResponse r) {
        throw unsupported();
    }

    default void moveLeader(long leader, long target, MoveLeaderResponse r) {
        throw unsupported();
    }

    // ---- auth ----

    /** The responses etcdctl prints as their header alone in json and fields; {@code simple} is the line given. */
    default void authChange(AuthResponse r, String simpleLine) {
        throw unsupported();
    }

    /** Simple names the permission revoked; the other formats print the header as for any auth change. */
    default void roleRevokePermission(String role, byte[] key, byte[] end, AuthResponse r) {
        authChange(r, "");
    }

    default void userGet(String name, UserGetResponse r) {
        throw unsupported();
    }

    default void userList(UserListResponse r) {
        throw unsupported();
    }

    default void roleList(RoleListResponse r) {
        throw unsupported();
    }

    default void roleGet(String role, RoleGetResponse r) {
        throw unsupported();
    }
}
