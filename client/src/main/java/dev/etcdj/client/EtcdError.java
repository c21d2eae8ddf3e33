package dev.etcdj.client;

import java.util.HashMap;
import java.util.Map;

/**
 * Every error an etcd server reports, with its exact message and status class (etcd's rpctypes).
 * Clients recognise errors by their message text, so these strings are the wire contract.
 */
public enum EtcdError {
    // InvalidArgument
    EMPTY_KEY(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
    KEY_NOT_FOUND(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
    VALUE_PROVIDED(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
    TOO_MANY_OPS(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    REQUEST_TOO_LARGE(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: request is too large"),
    USER_EMPTY(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: user name is empty"),
    ROLE_EMPTY(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: role name is empty"),
    AUTH_FAILED(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password"),
    PERMISSION_NOT_GIVEN(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: permission not given"),
    INVALID_AUTH_MGMT(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
    AUTH_OLD_REVISION(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),
    MEMBER_BAD_URLS(EtcdException.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
    // OutOfRange
    COMPACTED(EtcdException.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV(EtcdException.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    LEASE_TTL_TOO_LARGE(EtcdException.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
    // ResourceExhausted
    NO_SPACE(EtcdException.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    TOO_MANY_REQUESTS(EtcdException.Code.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
    // NotFound
    LEASE_NOT_FOUND(EtcdException.Code.NOT_FOUND, "etcdserver: requested lease not found"),
    MEMBER_NOT_FOUND(EtcdException.Code.NOT_FOUND, "etcdserver: member not found"),
    // FailedPrecondition
    LEASE_EXISTS(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
    MEMBER_EXISTS(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
    PEER_URL_EXISTS(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
    MEMBER_NOT_ENOUGH_STARTED(EtcdException.Code.FAILED_PRECONDITION,
            "etcdserver: re-configuration failed due to not enough started members"),
    MEMBER_NOT_LEARNER(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
    LEARNER_NOT_READY(EtcdException.Code.FAILED_PRECONDITION,
            "etcdserver: can only promote a learner member which is in sync with leader"),
    TOO_MANY_LEARNERS(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),
    CLUSTER_ID_MISMATCH(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: cluster ID mismatch"),
    ROOT_USER_NOT_EXIST(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
    ROOT_ROLE_NOT_EXIST(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
    USER_ALREADY_EXIST(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: user name already exists"),
    USER_NOT_FOUND(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: user name not found"),
    ROLE_ALREADY_EXIST(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: role name already exists"),
    ROLE_NOT_FOUND(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: role name not found"),
    ROLE_NOT_GRANTED(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
    PERMISSION_NOT_GRANTED(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role"),
    AUTH_NOT_ENABLED(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
    NOT_LEADER(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: not leader"),
    BAD_LEADER_TRANSFEREE(EtcdException.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
    // PermissionDenied / Unauthenticated
    PERMISSION_DENIED(EtcdException.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
    INVALID_AUTH_TOKEN(EtcdException.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
    // Unavailable
    NO_LEADER(EtcdException.Code.UNAVAILABLE, "etcdserver: no leader"),
    LEADER_CHANGED(EtcdException.Code.UNAVAILABLE, "etcdserver: leader changed"),
    NOT_CAPABLE(EtcdException.Code.UNAVAILABLE, "etcdserver: not capable"),
    STOPPED(EtcdException.Code.UNAVAILABLE, "etcdserver: server stopped"),
    TIMEOUT(EtcdException.Code.UNAVAILABLE, "etcdserver: request timed out"),
    TIMEOUT_DUE_TO_LEADER_FAIL(EtcdException.Code.UNAVAILABLE,
            "etcdserver: request timed out, possibly due to previous leader failure"),
    TIMEOUT_DUE_TO_CONNECTION_LOST(EtcdException.Code.UNAVAILABLE,
            "etcdserver: request timed out, possibly due to connection lost"),
    TIMEOUT_WAIT_APPLIED_INDEX(EtcdException.Code.UNAVAILABLE,
            "etcdserver: request timed out, waiting for the applied index took too long"),
    UNHEALTHY(EtcdException.Code.UNAVAILABLE, "etcdserver: unhealthy cluster"),
    LEARNER_NOT_SUPPORTED(EtcdException.Code.UNAVAILABLE, "etcdserver: rpc not supported for learner"),
    // DataLoss, Canceled
    CORRUPT(EtcdException.Code.DATA_LOSS, "etcdserver: corrupt cluster"),
    WATCH_CANCELED(EtcdException.Code.CANCELLED, "etcdserver: watch canceled"),
    /** Not one of etcd's errors: a transport failure, a client-side deadline, or text etcd does not define. */
    UNKNOWN(EtcdException.Code.UNKNOWN, "");

    private static final Map<String, EtcdError> BY_MESSAGE = new HashMap<>();

    static {
        for (EtcdError e : values()) {
            if (e != UNKNOWN) {
                BY_MESSAGE.put(e.message, e);
            }
        }
    }

    private final EtcdException.Code code;
    private final String message;

    EtcdError(EtcdException.Code code, String message) {
        this.code = code;
        this.message = message;
    }

    public EtcdException.Code code() {
        return code;
    }

    /** The exact text etcd sends, "etcdserver: ..." included. */
    public String message() {
        return message;
    }

    /** The error with this exact server message, or {@link #UNKNOWN}. */
    public static EtcdError fromMessage(String message) {
        return message == null ? UNKNOWN : BY_MESSAGE.getOrDefault(message, UNKNOWN);
    }
}
