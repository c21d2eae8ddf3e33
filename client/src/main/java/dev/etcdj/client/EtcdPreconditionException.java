package dev.etcdj.client;

/**
 * The cluster's current state refuses the request: a lease or member that already exists, a call
 * that must reach the leader, a membership rule, a raised alarm (no space, corruption). Retrying
 * unchanged fails until that state changes. {@link #error()} tells which.
 */
public class EtcdPreconditionException extends EtcdException {

    /** One of etcd's errors of this category, with the server's message. */
    public EtcdPreconditionException(EtcdError error, String message, Throwable cause) {
        this(error.code() == Code.UNKNOWN ? Code.FAILED_PRECONDITION : error.code(), error, message, cause);
    }

    /** A failure of this category that is not one of etcd's own errors (a gRPC status of its code). */
    public EtcdPreconditionException(Code code, String message, Throwable cause) {
        this(code, EtcdError.UNKNOWN, message, cause);
    }

    protected EtcdPreconditionException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
