package dev.etcdj.client;

/** The cluster reports data corruption (CORRUPT alarm). */
public class CorruptClusterException extends EtcdPreconditionException {

    public CorruptClusterException() {
        this(EtcdError.CORRUPT.message(), null);
    }

    public CorruptClusterException(String message, Throwable cause) {
        super(EtcdError.CORRUPT.code(), EtcdError.CORRUPT, message, cause);
    }
}
