package dev.etcdj.client;

/** The server is overloaded; retry later. */
public class TooManyRequestsException extends EtcdUnavailableException {

    public TooManyRequestsException() {
        this(EtcdError.TOO_MANY_REQUESTS.message(), null);
    }

    public TooManyRequestsException(String message, Throwable cause) {
        super(EtcdError.TOO_MANY_REQUESTS.code(), EtcdError.TOO_MANY_REQUESTS, message, cause);
    }
}
