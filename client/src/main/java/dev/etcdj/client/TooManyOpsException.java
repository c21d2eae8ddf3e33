package dev.etcdj.client;

/** A transaction has more compares or ops than the server allows (--max-txn-ops). */
public class TooManyOpsException extends EtcdInvalidRequestException {

    public TooManyOpsException() {
        this(EtcdError.TOO_MANY_OPS.message(), null);
    }

    public TooManyOpsException(String message, Throwable cause) {
        super(EtcdError.TOO_MANY_OPS.code(), EtcdError.TOO_MANY_OPS, message, cause);
    }
}
