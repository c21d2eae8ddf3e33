package dev.etcdj.client;

/** User and role management errors (user or role exists / not found / empty name, role or permission not granted, root missing, stale auth revision). {@link #error()} tells which. */
public class AuthException extends EtcdException {

    public AuthException(EtcdError error, String message, Throwable cause) {
        super(error.code() == Code.UNKNOWN ? Code.FAILED_PRECONDITION : error.code(), error, message, cause);
    }
}
