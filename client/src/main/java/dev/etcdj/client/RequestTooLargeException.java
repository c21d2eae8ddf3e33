package dev.etcdj.client;

/**
 * A request is too large: the server refused it (--max-request-bytes; etcd's text, {@code INVALID_ARGUMENT}), or
 * the client did not send it because it is over {@code maxOutboundMessageBytes} (grpc-go's text and code,
 * {@code RESOURCE_EXHAUSTED}, as Go's clientv3 reports its {@code MaxCallSendMsgSize}).
 */
public class RequestTooLargeException extends EtcdInvalidRequestException {

    public RequestTooLargeException() {
        this(EtcdError.REQUEST_TOO_LARGE.message(), null);
    }

    public RequestTooLargeException(String message, Throwable cause) {
        super(EtcdError.REQUEST_TOO_LARGE.code(), EtcdError.REQUEST_TOO_LARGE, message, cause);
    }

    /**
     * A request the client refused to send: over its outbound limit.
     *
     * @param message what was refused, in grpc-go's words
     * @return the exception, with code {@code RESOURCE_EXHAUSTED}
     */
    public static RequestTooLargeException notSent(String message) {
        return new RequestTooLargeException(Code.RESOURCE_EXHAUSTED, message);
    }

    private RequestTooLargeException(Code code, String message) {
        super(code, EtcdError.REQUEST_TOO_LARGE, message, null);
    }
}
