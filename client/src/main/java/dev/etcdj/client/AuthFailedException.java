package dev.etcdj.client;

/** Wrong user name or password. */
public class AuthFailedException extends AuthException {

    public AuthFailedException() {
        this(EtcdError.AUTH_FAILED.message(), null);
    }

    public AuthFailedException(String message, Throwable cause) {
        super(EtcdError.AUTH_FAILED.code(), EtcdError.AUTH_FAILED, message, cause);
    }
}
