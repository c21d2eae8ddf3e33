package dev.etcdj.client;

/** The auth token is unknown or expired. */
public class InvalidAuthTokenException extends AuthException {

    public InvalidAuthTokenException() {
        this(EtcdError.INVALID_AUTH_TOKEN.message(), null);
    }

    public InvalidAuthTokenException(String message, Throwable cause) {
        super(EtcdError.INVALID_AUTH_TOKEN.code(), EtcdError.INVALID_AUTH_TOKEN, message, cause);
    }
}
