package dev.etcdj.client;

/** A put with ignoreValue also carried a value. */
public class ValueProvidedException extends EtcdInvalidRequestException {

    public ValueProvidedException() {
        this(EtcdError.VALUE_PROVIDED.message(), null);
    }

    public ValueProvidedException(String message, Throwable cause) {
        super(EtcdError.VALUE_PROVIDED.code(), EtcdError.VALUE_PROVIDED, message, cause);
    }
}
