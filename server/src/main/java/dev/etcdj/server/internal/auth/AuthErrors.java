package dev.etcdj.server.internal.auth;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Auth failures with etcd 3.4's exact gRPC status and text. Most are the mapped "etcdserver: …"
 * forms; the Maintenance guards and a few unmapped store errors reach clients as Unknown with the
 * raw "auth: …" text, exactly as etcd's v3rpc layer lets them through.
 */
final class AuthErrors {
    private AuthErrors() {
    }

    static StatusRuntimeException of(Status.Code code, String message) {
        return Status.fromCode(code).withDescription(message).asRuntimeException();
    }

    static StatusRuntimeException rootUserNotExist() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist");
    }

    static StatusRuntimeException rootRoleNotExist() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role");
    }

    static StatusRuntimeException userAlreadyExist() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: user name already exists");
    }

    static StatusRuntimeException userEmpty() {
        return of(Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
    }

    static StatusRuntimeException userNotFound() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: user name not found");
    }

    static StatusRuntimeException roleAlreadyExist() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: role name already exists");
    }

    static StatusRuntimeException roleNotFound() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: role name not found");
    }

    static StatusRuntimeException roleEmpty() {
        return of(Status.Code.INVALID_ARGUMENT, "etcdserver: role name is empty");
    }

    static StatusRuntimeException authFailed() {
        return of(Status.Code.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password");
    }

    static StatusRuntimeException permissionDenied() {
        return of(Status.Code.PERMISSION_DENIED, "etcdserver: permission denied");
    }

    static StatusRuntimeException roleNotGranted() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: role is not granted to the user");
    }

    static StatusRuntimeException permissionNotGranted() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: permission is not granted to the role");
    }

    static StatusRuntimeException authNotEnabled() {
        return of(Status.Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled");
    }

    static StatusRuntimeException invalidAuthToken() {
        return of(Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token");
    }

    static StatusRuntimeException invalidAuthMgmt() {
        return of(Status.Code.INVALID_ARGUMENT, "etcdserver: invalid auth management");
    }

    /** etcd does not map this store error: it reaches the client as Unknown with the raw text. */
    static StatusRuntimeException noPasswordUser() {
        return of(Status.Code.UNKNOWN, "auth: authentication failed, password was given for no password user");
    }

    /** The raw (unmapped) form used by the Maintenance guards: "auth: user name is empty" etc. */
    static StatusRuntimeException raw(StatusRuntimeException mapped) {
        String d = mapped.getStatus().getDescription();
        String text = d != null && d.startsWith("etcdserver: ") ? "auth: " + d.substring(12) : d;
        if ("auth: user name not found".equals(text)) {
            text = "auth: user not found";
        }
        return of(Status.Code.UNKNOWN, text);
    }
}
