package dev.etcdj.proto.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashMap;
import java.util.Map;

/**
 * etcd 3.4's wire errors, written once for the client and the server: each one's exact text and
 * gRPC code. etcd's clients recognise errors by their text ("etcdserver: …", clientv3's rpctypes),
 * so the server must send these strings byte for byte and the client must match them exactly.
 *
 * <p>The entries after {@link #WATCH_CANCELED} are texts etcd does not map to an "etcdserver: …"
 * error: they reach a client as gRPC Unknown with the raw text, or as a watch's cancel reason.
 */
public enum WireError {
    // InvalidArgument
    EMPTY_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
    KEY_NOT_FOUND(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
    VALUE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
    TOO_MANY_OPS(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    REQUEST_TOO_LARGE(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large"),
    USER_EMPTY(Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty"),
    ROLE_EMPTY(Status.Code.INVALID_ARGUMENT, "etcdserver: role name is empty"),
    AUTH_FAILED(Status.Code.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password"),
    PERMISSION_NOT_GIVEN(Status.Code.INVALID_ARGUMENT, "etcdserver: permission not given"),
    INVALID_AUTH_MGMT(Status.Code.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
    AUTH_OLD_REVISION(Status.Code.INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),
    MEMBER_BAD_URLS(Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
    // OutOfRange
    COMPACTED(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    LEASE_TTL_TOO_LARGE(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
    // ResourceExhausted
    NO_SPACE(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    TOO_MANY_REQUESTS(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
    // NotFound
    LEASE_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: requested lease not found"),
    MEMBER_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: member not found"),
    // FailedPrecondition
    LEASE_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
    MEMBER_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
    PEER_URL_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
    MEMBER_NOT_ENOUGH_STARTED(Status.Code.FAILED_PRECONDITION,
            "etcdserver: re-configuration failed due to not enough started members"),
    MEMBER_NOT_LEARNER(Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
    LEARNER_NOT_READY(Status.Code.FAILED_PRECONDITION,
            "etcdserver: can only promote a learner member which is in sync with leader"),
    TOO_MANY_LEARNERS(Status.Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),
    CLUSTER_ID_MISMATCH(Status.Code.FAILED_PRECONDITION, "etcdserver: cluster ID mismatch"),
    ROOT_USER_NOT_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
    ROOT_ROLE_NOT_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
    USER_ALREADY_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: user name already exists"),
    USER_NOT_FOUND(Status.Code.FAILED_PRECONDITION, "etcdserver: user name not found"),
    ROLE_ALREADY_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: role name already exists"),
    ROLE_NOT_FOUND(Status.Code.FAILED_PRECONDITION, "etcdserver: role name not found"),
    ROLE_NOT_GRANTED(Status.Code.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
    PERMISSION_NOT_GRANTED(Status.Code.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role"),
    AUTH_NOT_ENABLED(Status.Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
    NOT_LEADER(Status.Code.FAILED_PRECONDITION, "etcdserver: not leader"),
    BAD_LEADER_TRANSFEREE(Status.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
    // PermissionDenied / Unauthenticated
    PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
    INVALID_AUTH_TOKEN(Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
    // Unavailable
    NO_LEADER(Status.Code.UNAVAILABLE, "etcdserver: no leader"),
    LEADER_CHANGED(Status.Code.UNAVAILABLE, "etcdserver: leader changed"),
    NOT_CAPABLE(Status.Code.UNAVAILABLE, "etcdserver: not capable"),
    STOPPED(Status.Code.UNAVAILABLE, "etcdserver: server stopped"),
    TIMEOUT(Status.Code.UNAVAILABLE, "etcdserver: request timed out"),
    TIMEOUT_DUE_TO_LEADER_FAIL(Status.Code.UNAVAILABLE,
            "etcdserver: request timed out, possibly due to previous leader failure"),
    TIMEOUT_DUE_TO_CONNECTION_LOST(Status.Code.UNAVAILABLE,
            "etcdserver: request timed out, possibly due to connection lost"),
    TIMEOUT_WAIT_APPLIED_INDEX(Status.Code.UNAVAILABLE,
            "etcdserver: request timed out, waiting for the applied index took too long"),
    UNHEALTHY(Status.Code.UNAVAILABLE, "etcdserver: unhealthy cluster"),
    LEARNER_NOT_SUPPORTED(Status.Code.UNAVAILABLE, "etcdserver: rpc not supported for learner"),
    // DataLoss, Canceled
    CORRUPT(Status.Code.DATA_LOSS, "etcdserver: corrupt cluster"),
    WATCH_CANCELED(Status.Code.CANCELLED, "etcdserver: watch canceled"),

    // Not mapped by etcd's v3rpc layer: gRPC Unknown with the raw text.
    /** Authenticate as a user created with no password (auth.ErrNoPasswordUser). */
    NO_PASSWORD_USER(Status.Code.UNKNOWN, "auth: authentication failed, password was given for no password user"),
    /** Election Proclaim/Resign with a leader key that no longer leads (concurrency.ErrElectionNotLeader). */
    ELECTION_NOT_LEADER(Status.Code.UNKNOWN, "election: not leader"),
    /** Election Leader/Observe on an election nobody leads (concurrency.ErrElectionNoLeader). */
    ELECTION_NO_LEADER(Status.Code.UNKNOWN, "election: no leader"),
    /** Election Proclaim/Resign without a leader key (v3election's ErrMissingLeaderKey). */
    ELECTION_MISSING_LEADER(Status.Code.UNKNOWN, "\"leader\" field must be provided"),
    // Watch cancel reasons (sent in a WatchResponse, never as a status).
    /** A create request whose non-empty range end is not after its key (mvcc.ErrEmptyWatcherRange). */
    WATCH_RANGE_EMPTY(Status.Code.UNKNOWN, "mvcc: watcher range is empty"),
    /** A create request asking for a watch id in use on its stream (mvcc.ErrWatcherDuplicateID). */
    WATCH_DUPLICATE_ID(Status.Code.UNKNOWN, "mvcc: duplicate watch ID provided on the WatchStream");

    private static final Map<String, WireError> BY_MESSAGE = new HashMap<>();

    static {
        for (WireError e : values()) {
            BY_MESSAGE.put(e.message, e);
        }
    }

    private final Status.Code code;
    private final String message;

    WireError(Status.Code code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The gRPC status code etcd sends this error with. */
    public Status.Code code() {
        return code;
    }

    /** The exact text etcd sends. */
    public String message() {
        return message;
    }

    /** Whether etcd sends this as one of its mapped "etcdserver: …" errors (rpctypes). */
    public boolean mapped() {
        return message.startsWith("etcdserver: ");
    }

    /** This error as the gRPC status etcd answers with. */
    public Status status() {
        return Status.fromCode(code).withDescription(message);
    }

    /** This error as a throwable gRPC status, ready for {@code onError}. */
    public StatusRuntimeException asException() {
        return status().asRuntimeException();
    }

    /** The error with exactly this text, or null when etcd sends no such text. */
    public static WireError fromMessage(String message) {
        return message == null ? null : BY_MESSAGE.get(message);
    }
}
