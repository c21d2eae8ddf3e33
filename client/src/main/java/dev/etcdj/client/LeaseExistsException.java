package dev.etcdj.client;

/** A lease with the requested ID already exists. */
public class LeaseExistsException extends EtcdPreconditionException {

    public LeaseExistsException() {
        this(EtcdError.LEASE_EXISTS.message(), null);
    }

    public LeaseExistsException(String message, Throwable cause) {
        super(EtcdError.LEASE_EXISTS.code(), EtcdError.LEASE_EXISTS, message, cause);
    }
}
