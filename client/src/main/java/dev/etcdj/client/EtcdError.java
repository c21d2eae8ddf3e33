package dev.etcdj.client;

import dev.etcdj.proto.internal.WireError;
import java.util.HashMap;
import java.util.Map;

/**
 * Every error an etcd server reports, with its exact message and status class (etcd's rpctypes).
 * Clients recognise errors by their message text, so these strings are the wire contract; they are
 * written once, in the table the client and the server share, and each constant here names its
 * entry there.
 */
public enum EtcdError {
    // InvalidArgument
    EMPTY_KEY(WireError.EMPTY_KEY),
    KEY_NOT_FOUND(WireError.KEY_NOT_FOUND),
    VALUE_PROVIDED(WireError.VALUE_PROVIDED),
    LEASE_PROVIDED(WireError.LEASE_PROVIDED),
    TOO_MANY_OPS(WireError.TOO_MANY_OPS),
    DUPLICATE_KEY(WireError.DUPLICATE_KEY),
    REQUEST_TOO_LARGE(WireError.REQUEST_TOO_LARGE),
    USER_EMPTY(WireError.USER_EMPTY),
    ROLE_EMPTY(WireError.ROLE_EMPTY),
    AUTH_FAILED(WireError.AUTH_FAILED),
    PERMISSION_NOT_GIVEN(WireError.PERMISSION_NOT_GIVEN),
    INVALID_AUTH_MGMT(WireError.INVALID_AUTH_MGMT),
    AUTH_OLD_REVISION(WireError.AUTH_OLD_REVISION),
    MEMBER_BAD_URLS(WireError.MEMBER_BAD_URLS),
    // OutOfRange
    COMPACTED(WireError.COMPACTED),
    FUTURE_REV(WireError.FUTURE_REV),
    LEASE_TTL_TOO_LARGE(WireError.LEASE_TTL_TOO_LARGE),
    // ResourceExhausted
    NO_SPACE(WireError.NO_SPACE),
    TOO_MANY_REQUESTS(WireError.TOO_MANY_REQUESTS),
    // NotFound
    LEASE_NOT_FOUND(WireError.LEASE_NOT_FOUND),
    MEMBER_NOT_FOUND(WireError.MEMBER_NOT_FOUND),
    // FailedPrecondition
    LEASE_EXISTS(WireError.LEASE_EXISTS),
    MEMBER_EXISTS(WireError.MEMBER_EXISTS),
    PEER_URL_EXISTS(WireError.PEER_URL_EXISTS),
    MEMBER_NOT_ENOUGH_STARTED(WireError.MEMBER_NOT_ENOUGH_STARTED),
    MEMBER_NOT_LEARNER(WireError.MEMBER_NOT_LEARNER),
    LEARNER_NOT_READY(WireError.LEARNER_NOT_READY),
    TOO_MANY_LEARNERS(WireError.TOO_MANY_LEARNERS),
    CLUSTER_ID_MISMATCH(WireError.CLUSTER_ID_MISMATCH),
    ROOT_USER_NOT_EXIST(WireError.ROOT_USER_NOT_EXIST),
    ROOT_ROLE_NOT_EXIST(WireError.ROOT_ROLE_NOT_EXIST),
    USER_ALREADY_EXIST(WireError.USER_ALREADY_EXIST),
    USER_NOT_FOUND(WireError.USER_NOT_FOUND),
    ROLE_ALREADY_EXIST(WireError.ROLE_ALREADY_EXIST),
    ROLE_NOT_FOUND(WireError.ROLE_NOT_FOUND),
    ROLE_NOT_GRANTED(WireError.ROLE_NOT_GRANTED),
    PERMISSION_NOT_GRANTED(WireError.PERMISSION_NOT_GRANTED),
    AUTH_NOT_ENABLED(WireError.AUTH_NOT_ENABLED),
    NOT_LEADER(WireError.NOT_LEADER),
    BAD_LEADER_TRANSFEREE(WireError.BAD_LEADER_TRANSFEREE),
    // PermissionDenied / Unauthenticated
    PERMISSION_DENIED(WireError.PERMISSION_DENIED),
    INVALID_AUTH_TOKEN(WireError.INVALID_AUTH_TOKEN),
    // Unavailable
    NO_LEADER(WireError.NO_LEADER),
    LEADER_CHANGED(WireError.LEADER_CHANGED),
    NOT_CAPABLE(WireError.NOT_CAPABLE),
    STOPPED(WireError.STOPPED),
    TIMEOUT(WireError.TIMEOUT),
    TIMEOUT_DUE_TO_LEADER_FAIL(WireError.TIMEOUT_DUE_TO_LEADER_FAIL),
    TIMEOUT_DUE_TO_CONNECTION_LOST(WireError.TIMEOUT_DUE_TO_CONNECTION_LOST),
    TIMEOUT_WAIT_APPLIED_INDEX(WireError.TIMEOUT_WAIT_APPLIED_INDEX),
    UNHEALTHY(WireError.UNHEALTHY),
    LEARNER_NOT_SUPPORTED(WireError.LEARNER_NOT_SUPPORTED),
    // DataLoss, Canceled
    CORRUPT(WireError.CORRUPT),
    WATCH_CANCELED(WireError.WATCH_CANCELED),
    // Sent raw (gRPC Unknown) by etcd's election service
    /** Proclaim by a leader key that does not lead. */
    ELECTION_NOT_LEADER(WireError.ELECTION_NOT_LEADER),
    /** Leader of an election nobody leads. */
    ELECTION_NO_LEADER(WireError.ELECTION_NO_LEADER),
    /** Not one of etcd's errors: a transport failure, a client-side deadline, or text etcd does not define. */
    UNKNOWN(null);

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

    EtcdError(WireError wire) {
        this.code = wire == null ? EtcdException.Code.UNKNOWN : EtcdException.Code.valueOf(wire.code().name());
        this.message = wire == null ? "" : wire.message();
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
