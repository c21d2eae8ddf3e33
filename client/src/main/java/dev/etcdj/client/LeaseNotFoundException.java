package dev.etcdj.client;

/** The lease does not exist: it was never granted, was revoked, or expired. */
public class LeaseNotFoundException extends EtcdNotFoundException {

    private final long leaseId;

    public LeaseNotFoundException(long leaseId) {
        this(EtcdError.LEASE_NOT_FOUND.message(), leaseId, null);
    }

    public LeaseNotFoundException(String message, long leaseId, Throwable cause) {
        super(EtcdError.LEASE_NOT_FOUND.code(), EtcdError.LEASE_NOT_FOUND, message, cause);
        this.leaseId = leaseId;
    }

    /** The lease asked about, or 0 when the server's answer did not say. */
    public long leaseId() {
        return leaseId;
    }
}
