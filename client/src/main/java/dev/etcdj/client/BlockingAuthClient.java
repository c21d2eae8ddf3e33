package dev.etcdj.client;

/**
 * The blocking view of an {@link AuthClient}: each call is that client's call of the same name and
 * parameters, waited for; it returns the future's value and throws the {@link EtcdException} itself
 * (see {@link BlockingView}).
 */
public interface BlockingAuthClient extends BlockingView<AuthClient, BlockingAuthClient> {

    AuthResponse enable();

    AuthResponse disable();

    AuthStatusResponse status();

    AuthResponse userAdd(String user, String password);

    UserGetResponse userGet(String user);

    UserListResponse userList();

    AuthResponse userDelete(String user);

    AuthResponse userChangePassword(String user, String password);

    AuthResponse userGrantRole(String user, String role);

    AuthResponse userRevokeRole(String user, String role);

    AuthResponse roleAdd(String role);

    RoleGetResponse roleGet(String role);

    RoleListResponse roleList();

    AuthResponse roleDelete(String role);

    AuthResponse roleGrantPermission(String role, Permission permission);

    AuthResponse roleRevokePermission(String role, Bytes key, Bytes rangeEnd);
}
