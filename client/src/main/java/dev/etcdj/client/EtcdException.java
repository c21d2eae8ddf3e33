package dev.etcdj.client;

/**
 * The root of every error the client reports; unchecked. {@link #error()} tells which of etcd's
 * errors it is (or {@link EtcdError#UNKNOWN}), {@link #code()} the status class it belongs to.
 * Subclasses exist for the errors callers commonly catch; no gRPC exception ever reaches users.
 */
public class EtcdException extends RuntimeException {

    /** The class of failure, as etcd's gRPC status codes divide them. */
    public enum Code {
        OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
        RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE,
        DATA_LOSS, UNAUTHENTICATED
    }

    private final Code code;
    private final EtcdError error;

    public EtcdException(Code code, String message) {
        this(code, message, null);
    }

    public EtcdException(Code code, String message, Throwable cause) {
        this(code, EtcdError.UNKNOWN, message, cause);
    }

    public EtcdException(EtcdError error) {
        this(error.code(), error, error.message(), null);
    }

    public EtcdException(EtcdError error, Throwable cause) {
        this(error.code(), error, error.message(), cause);
    }

    protected EtcdException(Code code, EtcdError error, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.error = error;
    }

    /**
     * The status class of {@code error}, or {@code category} when etcd's table gives it none
     * ({@link Code#UNKNOWN}): what a category's exception reports for one of its errors.
     */
    protected static Code codeOr(EtcdError error, Code category) {
        return error.code() == Code.UNKNOWN ? category : error.code();
    }

    public Code code() {
        return code;
    }

    /** Which etcd error this is; {@link EtcdError#UNKNOWN} for errors that are not etcd's own. */
    public EtcdError error() {
        return error;
    }
}
