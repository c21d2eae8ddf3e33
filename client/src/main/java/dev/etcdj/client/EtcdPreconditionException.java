package dev.etcdj.client;

/**
 * The cluster's current state refuses the request: a lease or member that already exists, a call
 * that must reach the leader, a membership rule, a raised alarm (no space, corruption). Retrying
 * unchanged fails until that state changes. {@link #error()} tells which.
 */
public class EtcdPreconditionException extends EtcdException {

    /** One of etcd's errors of this category, with the server's message. */
    public EtcdPreconditionException(EtcdError error, String message, Throwable cause) {
        super(codeOr(error, Code.FAILED_PRECONDITION), error, message, cause);
    }

    /**
     * A failure of this category with its gRPC status class; {@code error} is
     * {@link EtcdError#UNKNOWN} for one that is not among etcd's own errors.
     */
    public EtcdPreconditionException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
