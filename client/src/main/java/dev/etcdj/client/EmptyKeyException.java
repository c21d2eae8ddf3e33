package dev.etcdj.client;

/** A request named no key. */
public class EmptyKeyException extends EtcdInvalidRequestException {

    public EmptyKeyException() {
        this(EtcdError.EMPTY_KEY.message(), null);
    }

    public EmptyKeyException(String message, Throwable cause) {
        super(EtcdError.EMPTY_KEY.code(), EtcdError.EMPTY_KEY, message, cause);
    }
}
