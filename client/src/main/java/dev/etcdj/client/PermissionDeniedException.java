package dev.etcdj.client;

/** The authenticated user lacks the permission the request needs. */
public class PermissionDeniedException extends AuthException {

    public PermissionDeniedException() {
        this(EtcdError.PERMISSION_DENIED.message(), null);
    }

    public PermissionDeniedException(String message, Throwable cause) {
        super(EtcdError.PERMISSION_DENIED.code(), EtcdError.PERMISSION_DENIED, message, cause);
    }
}
