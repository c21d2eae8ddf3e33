package dev.etcdj.client;

/** A transaction branch writes the same key twice. */
public class DuplicateKeyException extends EtcdInvalidRequestException {

    public DuplicateKeyException() {
        this(EtcdError.DUPLICATE_KEY.message(), null);
    }

    public DuplicateKeyException(String message, Throwable cause) {
        super(EtcdError.DUPLICATE_KEY.code(), EtcdError.DUPLICATE_KEY, message, cause);
    }
}
