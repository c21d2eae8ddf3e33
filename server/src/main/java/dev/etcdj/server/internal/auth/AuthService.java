package dev.etcdj.server.internal.auth;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.authpb.Permission;
import dev.etcdj.proto.authpb.Role;
import dev.etcdj.proto.authpb.User;
import dev.etcdj.proto.authpb.UserAddOptions;
import dev.etcdj.proto.etcdserverpb.AuthDisableRequest;
import dev.etcdj.proto.etcdserverpb.AuthDisableResponse;
import dev.etcdj.proto.etcdserverpb.AuthEnableRequest;
import dev.etcdj.proto.etcdserverpb.AuthEnableResponse;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddResponse;
import dev.etcdj.proto.etcdserverpb.AuthRoleDeleteRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleDeleteResponse;
import dev.etcdj.proto.etcdserverpb.AuthRoleGetRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGetResponse;
import dev.etcdj.proto.etcdserverpb.AuthRoleGrantPermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGrantPermissionResponse;
import dev.etcdj.proto.etcdserverpb.AuthRoleListRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleListResponse;
import dev.etcdj.proto.etcdserverpb.AuthRoleRevokePermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleRevokePermissionResponse;
import dev.etcdj.proto.etcdserverpb.AuthStatusRequest;
import dev.etcdj.proto.etcdserverpb.AuthStatusResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserChangePasswordRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserChangePasswordResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserDeleteRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserDeleteResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserGetRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGetResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserListRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserListResponse;
import dev.etcdj.proto.etcdserverpb.AuthUserRevokeRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserRevokeRoleResponse;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateResponse;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.Headers;
import dev.etcdj.server.internal.apply.Applier;
import dev.etcdj.server.internal.apply.Proposals;
import static dev.etcdj.server.internal.rpc.Rpc.reply;
import static dev.etcdj.server.internal.rpc.Rpc.replyAsync;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * etcdserverpb.Auth with etcd 3.4's checks and error order: the request's token is validated
 * first (etcd does so before proposing), then at apply time the admin check for management calls
 * (UserGet of oneself and RoleGet of one's own role excepted), then the operation's own checks.
 */
public final class AuthService extends AuthGrpc.AuthImplBase {
    private final AuthStore store;
    private final Proposals proposals;
    private final Headers headers;

    public AuthService(AuthStore store, Proposals proposals, Headers headers) {
        this.store = store;
        this.proposals = proposals;
        this.headers = headers;
    }

    /** Validates the token, then runs an admin-only mutation on the apply thread. */
    private <T> CompletableFuture<T> admin(Applier.Mutation<T> body) {
        String user = store.user(Caller.current());
        return proposals.propose(ctx -> {
            store.checkAdmin(store.state(), user);
            return body.apply(ctx);
        });
    }

    /** The user named {@code name}, or etcd's "user name not found". */
    private static User existingUser(AuthStore.State s, String name) {
        User u = s.user(name);
        if (u == null) {
            throw WireError.USER_NOT_FOUND.asException();
        }
        return u;
    }

    /** The role named {@code name}, or etcd's "role name not found". */
    private static Role existingRole(AuthStore.State s, String name) {
        Role role = s.roles().get(name);
        if (role == null) {
            throw WireError.ROLE_NOT_FOUND.asException();
        }
        return role;
    }

    /** etcd's "invalid auth management" for a change that would lock root out while auth is enabled. */
    private static void refuseWhileEnabled(AuthStore.State s, boolean locksRootOut) {
        if (s.enabled() && locksRootOut) {
            throw WireError.INVALID_AUTH_MGMT.asException();
        }
    }

    @Override
    public void authEnable(AuthEnableRequest r, StreamObserver<AuthEnableResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            AuthStore.State s = store.state();
            if (!s.enabled()) {
                User root = s.user(AuthStore.ROOT);
                if (root == null) {
                    throw WireError.ROOT_USER_NOT_EXIST.asException();
                }
                if (!s.isRoot(root)) {
                    throw WireError.ROOT_ROLE_NOT_EXIST.asException();
                }
                store.setEnabled(ctx.batch(), true);
            }
            return AuthEnableResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void authDisable(AuthDisableRequest r, StreamObserver<AuthDisableResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            if (store.state().enabled()) {
                store.setEnabled(ctx.batch(), false);
            }
            return AuthDisableResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void authStatus(AuthStatusRequest r, StreamObserver<AuthStatusResponse> out) {
        reply(out, () -> {
            AuthStore.State s = store.state();
            return AuthStatusResponse.newBuilder().setHeader(headers.current()).setEnabled(s.enabled())
                    .setAuthRevision(s.revision()).build();
        });
    }

    @Override
    public void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateResponse> out) {
        replyAsync(out, () -> {
            AuthStore.State s = store.state();
            if (!s.enabled()) {
                throw WireError.AUTH_NOT_ENABLED.asException();
            }
            User u = s.user(r.getName());
            if (u == null) {
                throw WireError.AUTH_FAILED.asException();
            }
            if (u.getOptions().getNoPassword()) {
                throw WireError.NO_PASSWORD_USER.asException();
            }
            // the costly hash check runs on the caller's thread, never on the apply thread
            if (!Passwords.verify(r.getPassword(), u.getPassword().toByteArray())) {
                throw WireError.AUTH_FAILED.asException();
            }
            store.user(Caller.current());
            ByteString checked = u.getPassword();
            // a hash from an etcdj release before bcrypt: rewritten as etcd's, so snapshots carry it
            ByteString upgraded = Passwords.isLegacy(checked.toByteArray())
                    ? ByteString.copyFrom(store.hashPassword(r.getPassword())) : null;
            return proposals.propose(ctx -> {
                AuthStore.State now = store.state();
                if (!now.enabled()) {
                    throw WireError.AUTH_NOT_ENABLED.asException();
                }
                User cur = now.user(r.getName());
                if (cur == null || cur.getOptions().getNoPassword() || !cur.getPassword().equals(checked)) {
                    throw WireError.AUTH_FAILED.asException();
                }
                if (upgraded != null) {
                    store.upgradePasswordHash(ctx.batch(), cur.toBuilder().setPassword(upgraded).build());
                }
                // Proposals.propose counts this entry after the mutation: its index is the next one
                String token = store.issueToken(r.getName(), proposals.appliedIndex() + 1);
                return AuthenticateResponse.newBuilder().setHeader(headers.current()).setToken(token).build();
            });
        });
    }

    @Override
    public void userAdd(AuthUserAddRequest r, StreamObserver<AuthUserAddResponse> out) {
        replyAsync(out, () -> {
            boolean noPassword = r.getOptions().getNoPassword();
            byte[] hash = noPassword ? new byte[0] : store.hashPassword(r.getPassword());
            return admin(ctx -> {
                if (r.getName().isEmpty()) {
                    throw WireError.USER_EMPTY.asException();
                }
                if (store.state().user(r.getName()) != null) {
                    throw WireError.USER_ALREADY_EXIST.asException();
                }
                store.putUser(ctx.batch(), User.newBuilder().setName(ByteString.copyFromUtf8(r.getName()))
                        .setPassword(ByteString.copyFrom(hash))
                        .setOptions(UserAddOptions.newBuilder().setNoPassword(noPassword)).build());
                return AuthUserAddResponse.newBuilder().setHeader(headers.current()).build();
            });
        });
    }

    @Override
    public void userGet(AuthUserGetRequest r, StreamObserver<AuthUserGetResponse> out) {
        replyAsync(out, () -> {
            String caller = store.user(Caller.current());
            return proposals.propose(ctx -> {
                AuthStore.State s = store.state();
                if (!r.getName().equals(caller)) {
                    store.checkAdmin(s, caller);
                }
                User u = existingUser(s, r.getName());
                return AuthUserGetResponse.newBuilder().setHeader(headers.current()).addAllRoles(u.getRolesList())
                        .build();
            });
        });
    }

    @Override
    public void userList(AuthUserListRequest r, StreamObserver<AuthUserListResponse> out) {
        replyAsync(out, () -> admin(ctx -> AuthUserListResponse.newBuilder().setHeader(headers.current())
                .addAllUsers(store.state().users().keySet()).build()));
    }

    @Override
    public void userDelete(AuthUserDeleteRequest r, StreamObserver<AuthUserDeleteResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            AuthStore.State s = store.state();
            refuseWhileEnabled(s, r.getName().equals(AuthStore.ROOT));
            existingUser(s, r.getName());
            store.deleteUser(ctx.batch(), r.getName());
            return AuthUserDeleteResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest r,
            StreamObserver<AuthUserChangePasswordResponse> out) {
        replyAsync(out, () -> {
            byte[] hash = store.hashPassword(r.getPassword());
            return admin(ctx -> {
                User u = existingUser(store.state(), r.getName());
                store.putUser(ctx.batch(), u.toBuilder().setPassword(ByteString.copyFrom(hash)).build());
                store.passwordChanged(r.getName());
                return AuthUserChangePasswordResponse.newBuilder().setHeader(headers.current()).build();
            });
        });
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest r, StreamObserver<AuthUserGrantRoleResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            AuthStore.State s = store.state();
            User u = existingUser(s, r.getUser());
            // like etcd, "root" may be granted before the root role exists
            if (!r.getRole().equals(AuthStore.ROOT) && !s.roles().containsKey(r.getRole())) {
                throw WireError.ROLE_NOT_FOUND.asException();
            }
            if (!u.getRolesList().contains(r.getRole())) {
                java.util.List<String> roles = new java.util.ArrayList<>(u.getRolesList());
                roles.add(r.getRole());
                java.util.Collections.sort(roles);
                store.putUser(ctx.batch(), u.toBuilder().clearRoles().addAllRoles(roles).build());
            }
            return AuthUserGrantRoleResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest r, StreamObserver<AuthUserRevokeRoleResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            AuthStore.State s = store.state();
            refuseWhileEnabled(s, r.getName().equals(AuthStore.ROOT) && r.getRole().equals(AuthStore.ROOT));
            User u = existingUser(s, r.getName());
            if (!u.getRolesList().contains(r.getRole())) {
                throw WireError.ROLE_NOT_GRANTED.asException();
            }
            store.putUser(ctx.batch(), AuthStore.withoutRole(u, r.getRole()));
            return AuthUserRevokeRoleResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void roleAdd(AuthRoleAddRequest r, StreamObserver<AuthRoleAddResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            if (r.getName().isEmpty()) {
                throw WireError.ROLE_EMPTY.asException();
            }
            if (store.state().roles().containsKey(r.getName())) {
                throw WireError.ROLE_ALREADY_EXIST.asException();
            }
            store.putRole(ctx.batch(), Role.newBuilder().setName(ByteString.copyFromUtf8(r.getName())).build());
            return AuthRoleAddResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void roleGet(AuthRoleGetRequest r, StreamObserver<AuthRoleGetResponse> out) {
        replyAsync(out, () -> {
            String caller = store.user(Caller.current());
            return proposals.propose(ctx -> {
                AuthStore.State s = store.state();
                User u = caller == null ? null : s.user(caller);
                if (u == null || !u.getRolesList().contains(r.getRole())) {
                    store.checkAdmin(s, caller);
                }
                Role role = existingRole(s, r.getRole());
                return AuthRoleGetResponse.newBuilder().setHeader(headers.current())
                        .addAllPerm(role.getKeyPermissionList()).build();
            });
        });
    }

    @Override
    public void roleList(AuthRoleListRequest r, StreamObserver<AuthRoleListResponse> out) {
        replyAsync(out, () -> admin(ctx -> AuthRoleListResponse.newBuilder().setHeader(headers.current())
                .addAllRoles(store.state().roles().keySet()).build()));
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest r, StreamObserver<AuthRoleDeleteResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            AuthStore.State s = store.state();
            refuseWhileEnabled(s, r.getRole().equals(AuthStore.ROOT));
            existingRole(s, r.getRole());
            store.deleteRole(ctx.batch(), r.getRole());
            return AuthRoleDeleteResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest r,
            StreamObserver<AuthRoleGrantPermissionResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            Role role = existingRole(store.state(), r.getName());
            store.putRole(ctx.batch(), AuthStore.grant(role, r.getPerm()));
            return AuthRoleGrantPermissionResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest r,
            StreamObserver<AuthRoleRevokePermissionResponse> out) {
        replyAsync(out, () -> admin(ctx -> {
            Role role = existingRole(store.state(), r.getRole());
            Role.Builder b = role.toBuilder().clearKeyPermission();
            for (Permission p : role.getKeyPermissionList()) {
                if (!p.getKey().equals(r.getKey()) || !p.getRangeEnd().equals(r.getRangeEnd())) {
                    b.addKeyPermission(p);
                }
            }
            if (b.getKeyPermissionCount() == role.getKeyPermissionCount()) {
                throw WireError.PERMISSION_NOT_GRANTED.asException();
            }
            store.putRole(ctx.batch(), b.build());
            return AuthRoleRevokePermissionResponse.newBuilder().setHeader(headers.current()).build();
        }));
    }
}
