package dev.etcdj.client;

/**
 * What the request names does not exist (any more): a lease that expired or was revoked
 * ({@link LeaseNotFoundException}), a revision that was compacted away ({@link CompactedException}).
 */
public class EtcdNotFoundException extends EtcdException {

    /** One of etcd's errors of this category, with the server's message. */
    public EtcdNotFoundException(EtcdError error, String message, Throwable cause) {
        super(codeOr(error, Code.NOT_FOUND), error, message, cause);
    }

    /**
     * A failure of this category with its gRPC status class; {@code error} is
     * {@link EtcdError#UNKNOWN} for one that is not among etcd's own errors.
     */
    public EtcdNotFoundException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
