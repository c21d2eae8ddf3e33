package dev.etcdj.client;

/**
 * Authentication and authorization: wrong credentials ({@link AuthFailedException}), a stale or
 * unknown token ({@link InvalidAuthTokenException}), a missing permission
 * ({@link PermissionDeniedException}), auth not enabled ({@link AuthNotEnabledException}), and
 * the errors of user and role management (user or role exists / not found / empty name, role or
 * permission not granted, root missing, stale auth revision). {@link #error()} tells which.
 */
public class AuthException extends EtcdException {

    /** One of etcd's errors of this category, with the server's message. */
    public AuthException(EtcdError error, String message, Throwable cause) {
        super(codeOr(error, Code.FAILED_PRECONDITION), error, message, cause);
    }

    /**
     * A failure of this category with its gRPC status class; {@code error} is
     * {@link EtcdError#UNKNOWN} for one that is not among etcd's own errors.
     */
    public AuthException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
