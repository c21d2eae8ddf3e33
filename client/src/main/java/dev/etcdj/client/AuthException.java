package dev.etcdj.client;

/**
 * Authentication and authorization: wrong credentials ({@link AuthFailedException}), a stale or
 * unknown token ({@link InvalidAuthTokenException}), a missing permission
 * ({@link PermissionDeniedException}), auth not enabled ({@link AuthNotEnabledException}), and
 * the errors of user and role management (user or role exists / not found / empty name, role or
 * permission not granted, root missing, stale auth revision). {@link #error()} tells which.
 */
public class AuthException extends EtcdException {

    public AuthException(EtcdError error, String message, Throwable cause) {
        super(error.code() == Code.UNKNOWN ? Code.FAILED_PRECONDITION : error.code(), error, message, cause);
    }

    /** A failure of this category that is not one of etcd's own errors (a gRPC status of its code). */
    public AuthException(Code code, String message, Throwable cause) {
        this(code, EtcdError.UNKNOWN, message, cause);
    }

    protected AuthException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
