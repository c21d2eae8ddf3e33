package dev.etcdj.server.internal;

import io.grpc.Status;

/**
 * Every error the server reports, with etcd's exact text and gRPC code (clientv3 maps errors by
 * their text, so the strings must match etcd byte for byte).
 */
public enum EtcdError {
    EMPTY_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
    KEY_NOT_FOUND(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
    VALUE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
    LEASE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
    TOO_MANY_OPS(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
    DUPLICATE_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
    REQUEST_TOO_LARGE(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large"),
    MEMBER_URLS_INVALID(Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
    COMPACTED(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REV(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
    LEASE_TTL_TOO_LARGE(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
    NO_SPACE(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
    LEASE_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: requested lease not found"),
    MEMBER_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: member not found"),
    LEASE_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
    PEER_URL_EXISTS(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
    NOT_ENOUGH_STARTED_MEMBERS(Status.Code.FAILED_PRECONDITION,
            "etcdserver: re-configuration failed due to not enough started members"),
    MEMBER_NOT_LEARNER(Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
    NOT_LEADER(Status.Code.FAILED_PRECONDITION, "etcdserver: not leader"),
    BAD_LEADER_TRANSFEREE(Status.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee"),
    PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
    INVALID_AUTH_TOKEN(Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
    NOT_CAPABLE(Status.Code.UNAVAILABLE, "etcdserver: not capable"),
    STOPPED(Status.Code.UNAVAILABLE, "etcdserver: server stopped"),
    TIMEOUT(Status.Code.UNAVAILABLE, "etcdserver: request timed out"),
    CORRUPT(Status.Code.DATA_LOSS, "etcdserver: corrupt cluster");

    private final Status.Code code;
    private final String message;

    EtcdError(Status.Code code, String message) {
        this.code = code;
        this.message = message;
    }

    public Status.Code code() {
        return code;
    }

    public String message() {
        return message;
    }

    public EtcdException exception() {
        return new EtcdException(this);
    }
}
