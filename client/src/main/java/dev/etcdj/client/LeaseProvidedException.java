package dev.etcdj.client;

/** A put with ignoreLease also carried a lease. */
public class LeaseProvidedException extends EtcdInvalidRequestException {

    public LeaseProvidedException() {
        this(EtcdError.LEASE_PROVIDED.message(), null);
    }

    public LeaseProvidedException(String message, Throwable cause) {
        super(EtcdError.LEASE_PROVIDED.code(), EtcdError.LEASE_PROVIDED, message, cause);
    }
}
