package dev.etcdj.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** etcd's auth API: enabling auth, users, roles and permissions. Management calls need the root role. */
public interface AuthClient {

    /** Needs a user "root" holding role "root". */
    CompletableFuture<Void> enable();

    CompletableFuture<Void> disable();

    CompletableFuture<Void> userAdd(String user, String password);

    /** The user's roles. */
    CompletableFuture<List<String>> userGet(String user);

    CompletableFuture<List<String>> userList();

    CompletableFuture<Void> userDelete(String user);

    CompletableFuture<Void> userChangePassword(String user, String password);

    CompletableFuture<Void> userGrantRole(String user, String role);

    CompletableFuture<Void> userRevokeRole(String user, String role);

    CompletableFuture<Void> roleAdd(String role);

    /** The role's permissions. */
    CompletableFuture<List<Permission>> roleGet(String role);

    CompletableFuture<List<String>> roleList();

    CompletableFuture<Void> roleDelete(String role);

    CompletableFuture<Void> roleGrantPermission(String role, Permission permission);

    CompletableFuture<Void> roleRevokePermission(String role, Bytes key, Bytes rangeEnd);
}
