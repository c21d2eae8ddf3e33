package dev.etcdj.client;

/** The request's deadline passed, on the client or on the server (request timed out). The request may or may not have been applied. {@link #error()} tells which. */
public class EtcdTimeoutException extends EtcdException {

    public EtcdTimeoutException(EtcdError error, String message, Throwable cause) {
        super(codeOr(error, Code.DEADLINE_EXCEEDED), error, message, cause);
    }

    protected EtcdTimeoutException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
