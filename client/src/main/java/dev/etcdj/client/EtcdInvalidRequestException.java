package dev.etcdj.client;

/**
 * The request itself is wrong: no key, a value or lease where none may be, a transaction with too
 * many ops or a key written twice, a request or lease TTL over the limit, a revision the store has
 * not reached. Sending it again unchanged fails the same way. Subclasses name the cases callers
 * commonly catch; {@link #error()} tells which.
 */
public class EtcdInvalidRequestException extends EtcdException {

    /** One of etcd's errors of this category, with the server's message. */
    public EtcdInvalidRequestException(EtcdError error, String message, Throwable cause) {
        this(error.code() == Code.UNKNOWN ? Code.INVALID_ARGUMENT : error.code(), error, message, cause);
    }

    /** A failure of this category that is not one of etcd's own errors (a gRPC status of its code). */
    public EtcdInvalidRequestException(Code code, String message, Throwable cause) {
        this(code, EtcdError.UNKNOWN, message, cause);
    }

    protected EtcdInvalidRequestException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
