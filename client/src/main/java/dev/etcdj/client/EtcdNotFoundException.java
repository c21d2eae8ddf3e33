package dev.etcdj.client;

/**
 * What the request names does not exist (any more): a lease that expired or was revoked
 * ({@link LeaseNotFoundException}), a revision that was compacted away ({@link CompactedException}).
 */
public class EtcdNotFoundException extends EtcdException {

    /** One of etcd's errors of this category, with the server's message. */
    public EtcdNotFoundException(EtcdError error, String message, Throwable cause) {
        this(error.code() == Code.UNKNOWN ? Code.NOT_FOUND : error.code(), error, message, cause);
    }

    /** A failure of this category that is not one of etcd's own errors (a gRPC status of its code). */
    public EtcdNotFoundException(Code code, String message, Throwable cause) {
        this(code, EtcdError.UNKNOWN, message, cause);
    }

    protected EtcdNotFoundException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
