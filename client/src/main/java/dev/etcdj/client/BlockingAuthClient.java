package dev.etcdj.client;

import java.time.Duration;

/** The blocking view of an {@link AuthClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingAuthClient {

    private final AuthClient auth;

    BlockingAuthClient(AuthClient auth) {
        this.auth = auth;
    }

    public AuthResponse enable() {
        return Futures.await(auth.enable());
    }

    public AuthResponse disable() {
        return Futures.await(auth.disable());
    }

    public AuthStatusResponse status() {
        return Futures.await(auth.status());
    }

    public AuthResponse userAdd(String user, String password) {
        return Futures.await(auth.userAdd(user, password));
    }

    public UserGetResponse userGet(String user) {
        return Futures.await(auth.userGet(user));
    }

    public UserListResponse userList() {
        return Futures.await(auth.userList());
    }

    public AuthResponse userDelete(String user) {
        return Futures.await(auth.userDelete(user));
    }

    public AuthResponse userChangePassword(String user, String password) {
        return Futures.await(auth.userChangePassword(user, password));
    }

    public AuthResponse userGrantRole(String user, String role) {
        return Futures.await(auth.userGrantRole(user, role));
    }

    public AuthResponse userRevokeRole(String user, String role) {
        return Futures.await(auth.userRevokeRole(user, role));
    }

    public AuthResponse roleAdd(String role) {
        return Futures.await(auth.roleAdd(role));
    }

    public RoleGetResponse roleGet(String role) {
        return Futures.await(auth.roleGet(role));
    }

    public RoleListResponse roleList() {
        return Futures.await(auth.roleList());
    }

    public AuthResponse roleDelete(String role) {
        return Futures.await(auth.roleDelete(role));
    }

    public AuthResponse roleGrantPermission(String role, Permission permission) {
        return Futures.await(auth.roleGrantPermission(role, permission));
    }

    public AuthResponse roleRevokePermission(String role, Bytes key, Bytes rangeEnd) {
        return Futures.await(auth.roleRevokePermission(role, key, rangeEnd));
    }

    /** The same view with this deadline per call instead of the client's default. */
    public BlockingAuthClient withTimeout(Duration timeout) {
        return auth.withTimeout(timeout).blocking();
    }

    public AuthClient async() {
        return auth;
    }
}
