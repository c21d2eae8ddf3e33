package dev.etcdj.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** etcd's auth API: enabling auth, users, roles and permissions. Management calls need the root role. */
public interface AuthClient extends CallViews<AuthClient> {

    /** Needs a user "root" holding role "root". */
    CompletableFuture<AuthResponse> enable();

    CompletableFuture<AuthResponse> disable();

    /**
     * Whether auth is enabled, and the auth store's revision: etcd 3.5's AuthStatus, which the
     * etcdj server has too. etcd 3.4 lacks it: there the future fails with
     * {@link UnsupportedRpcException}.
     */
    CompletableFuture<AuthStatusResponse> status();

    CompletableFuture<AuthResponse> userAdd(String user, String password);

    /** The user's roles. */
    CompletableFuture<UserGetResponse> userGet(String user);

    CompletableFuture<UserListResponse> userList();

    CompletableFuture<AuthResponse> userDelete(String user);

    CompletableFuture<AuthResponse> userChangePassword(String user, String password);

    CompletableFuture<AuthResponse> userGrantRole(String user, String role);

    CompletableFuture<AuthResponse> userRevokeRole(String user, String role);

    CompletableFuture<AuthResponse> roleAdd(String role);

    /** The role's permissions. */
    CompletableFuture<RoleGetResponse> roleGet(String role);

    CompletableFuture<RoleListResponse> roleList();

    CompletableFuture<AuthResponse> roleDelete(String role);

    CompletableFuture<AuthResponse> roleGrantPermission(String role, Permission permission);

    CompletableFuture<AuthResponse> roleRevokePermission(String role, Bytes key, Bytes rangeEnd);

    /**
     * A view of this client whose calls use this deadline instead of the client's default.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    AuthClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingAuthClient blocking() {
        return WaitingViews.of(BlockingAuthClient.class, this, AuthClient::blocking);
    }
}
