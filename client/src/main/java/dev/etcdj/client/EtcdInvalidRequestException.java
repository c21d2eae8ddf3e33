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
        super(codeOr(error, Code.INVALID_ARGUMENT), error, message, cause);
    }

    /**
     * A failure of this category with its gRPC status class; {@code error} is
     * {@link EtcdError#UNKNOWN} for one that is not among etcd's own errors.
     */
    public EtcdInvalidRequestException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
