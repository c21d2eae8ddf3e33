package dev.etcdj.client;

/** Authentication was asked for while auth is disabled. */
public class AuthNotEnabledException extends AuthException {

    public AuthNotEnabledException() {
        this(EtcdError.AUTH_NOT_ENABLED.message(), null);
    }

    public AuthNotEnabledException(String message, Throwable cause) {
        super(EtcdError.AUTH_NOT_ENABLED.code(), EtcdError.AUTH_NOT_ENABLED, message, cause);
    }
}
