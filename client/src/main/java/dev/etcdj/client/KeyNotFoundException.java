package dev.etcdj.client;

/** A put with ignoreValue or ignoreLease named a key that does not exist, or an op was empty. */
public class KeyNotFoundException extends EtcdInvalidRequestException {

    public KeyNotFoundException() {
        this(EtcdError.KEY_NOT_FOUND.message(), null);
    }

    public KeyNotFoundException(String message, Throwable cause) {
        super(EtcdError.KEY_NOT_FOUND.code(), EtcdError.KEY_NOT_FOUND, message, cause);
    }
}
