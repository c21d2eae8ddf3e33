package dev.etcdj.client;

/** The blocking view of an {@link AuthClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingAuthClient extends BlockingView<AuthClient, BlockingAuthClient> {

    BlockingAuthClient(AuthClient auth) {
        super(auth, AuthClient::blocking);
    }

    public AuthResponse enable() {
        return Futures.await(async.enable());
    }

    public AuthResponse disable() {
        return Futures.await(async.disable());
    }

    public AuthStatusResponse status() {
        return Futures.await(async.status());
    }

    public AuthResponse userAdd(String user, String password) {
        return Futures.await(async.userAdd(user, password));
    }

    public UserGetResponse userGet(String user) {
        return Futures.await(async.userGet(user));
    }

    public UserListResponse userList() {
        return Futures.await(async.userList());
    }

    public AuthResponse userDelete(String user) {
        return Futures.await(async.userDelete(user));
    }

    public AuthResponse userChangePassword(String user, String password) {
        return Futures.await(async.userChangePassword(user, password));
    }

    public AuthResponse userGrantRole(String user, String role) {
        return Futures.await(async.userGrantRole(user, role));
    }

    public AuthResponse userRevokeRole(String user, String role) {
        return Futures.await(async.userRevokeRole(user, role));
    }

    public AuthResponse roleAdd(String role) {
        return Futures.await(async.roleAdd(role));
    }

    public RoleGetResponse roleGet(String role) {
        return Futures.await(async.roleGet(role));
    }

    public RoleListResponse roleList() {
        return Futures.await(async.roleList());
    }

    public AuthResponse roleDelete(String role) {
        return Futures.await(async.roleDelete(role));
    }

    public AuthResponse roleGrantPermission(String role, Permission permission) {
        return Futures.await(async.roleGrantPermission(role, permission));
    }

    public AuthResponse roleRevokePermission(String role, Bytes key, Bytes rangeEnd) {
        return Futures.await(async.roleRevokePermission(role, key, rangeEnd));
    }
}
