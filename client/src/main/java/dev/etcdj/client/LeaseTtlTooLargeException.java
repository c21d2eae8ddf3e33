package dev.etcdj.client;

/** The requested lease TTL is above etcd's maximum. */
public class LeaseTtlTooLargeException extends EtcdInvalidRequestException {

    public LeaseTtlTooLargeException() {
        this(EtcdError.LEASE_TTL_TOO_LARGE.message(), null);
    }

    public LeaseTtlTooLargeException(String message, Throwable cause) {
        super(EtcdError.LEASE_TTL_TOO_LARGE.code(), EtcdError.LEASE_TTL_TOO_LARGE, message, cause);
    }
}
