package dev.etcdj.client;

/** A read or watch asked for a revision the store has not reached yet. */
public class FutureRevisionException extends EtcdInvalidRequestException {

    public FutureRevisionException() {
        this(EtcdError.FUTURE_REV.message(), null);
    }

    public FutureRevisionException(String message, Throwable cause) {
        super(EtcdError.FUTURE_REV.code(), EtcdError.FUTURE_REV, message, cause);
    }
}
