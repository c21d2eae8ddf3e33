package dev.etcdj.client;

/** A request is larger than the server accepts (--max-request-bytes). */
public class RequestTooLargeException extends EtcdInvalidRequestException {

    public RequestTooLargeException() {
        this(EtcdError.REQUEST_TOO_LARGE.message(), null);
    }

    public RequestTooLargeException(String message, Throwable cause) {
        super(EtcdError.REQUEST_TOO_LARGE.code(), EtcdError.REQUEST_TOO_LARGE, message, cause);
    }
}
