package dev.etcdj.client.internal.auth;

import dev.etcdj.client.AuthClient;
import dev.etcdj.client.AuthResponse;
import dev.etcdj.client.AuthStatusResponse;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Permission;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.RoleListResponse;
import dev.etcdj.client.UserGetResponse;
import dev.etcdj.client.UserListResponse;
import dev.etcdj.client.internal.Errors;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.ServiceView;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.authpb.UserAddOptions;
import dev.etcdj.proto.etcdserverpb.AuthDisableRequest;
import dev.etcdj.proto.etcdserverpb.AuthEnableRequest;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthStatusRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleDeleteRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGetRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleGrantPermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleListRequest;
import dev.etcdj.proto.etcdserverpb.AuthRoleRevokePermissionRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserChangePasswordRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserDeleteRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGetRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserListRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserRevokeRoleRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link AuthClient} over etcd's Auth service. Reads (get, list) may be retried on another
 * member; changes are not, since a second attempt after one that applied would fail with
 * "already exists" or "not found".
 */
public final class AuthClientImpl extends ServiceView<AuthClient> implements AuthClient {

    public AuthClientImpl(Transport transport) {
        super(transport, AuthClientImpl::new);
    }

    @Override
    public CompletableFuture<AuthResponse> enable() {
        return change(Transport.UnaryCall.of(AuthGrpc.getAuthEnableMethod(), AuthEnableRequest.getDefaultInstance()), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> disable() {
        return change(Transport.UnaryCall.of(AuthGrpc.getAuthDisableMethod(), AuthDisableRequest.getDefaultInstance()), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> userAdd(String user, String password) {
        AuthUserAddRequest req = AuthUserAddRequest.newBuilder().setName(user).setPassword(password)
                .setOptions(UserAddOptions.newBuilder().setNoPassword(false)).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getUserAddMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<UserGetResponse> userGet(String user) {
        AuthUserGetRequest req = AuthUserGetRequest.newBuilder().setName(user).build();
        return read(Transport.UnaryCall.of(AuthGrpc.getUserGetMethod(), req))
                .thenApply(r -> new UserGetResponse(ProtoConvert.header(r.getHeader()), r.getRolesList()));
    }

    @Override
    public CompletableFuture<UserListResponse> userList() {
        return read(Transport.UnaryCall.of(AuthGrpc.getUserListMethod(), AuthUserListRequest.getDefaultInstance()))
                .thenApply(r -> new UserListResponse(ProtoConvert.header(r.getHeader()), r.getUsersList()));
    }

    @Override
    public CompletableFuture<AuthResponse> userDelete(String user) {
        AuthUserDeleteRequest req = AuthUserDeleteRequest.newBuilder().setName(user).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getUserDeleteMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> userChangePassword(String user, String password) {
        AuthUserChangePasswordRequest req = AuthUserChangePasswordRequest.newBuilder().setName(user)
                .setPassword(password).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getUserChangePasswordMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> userGrantRole(String user, String role) {
        AuthUserGrantRoleRequest req = AuthUserGrantRoleRequest.newBuilder().setUser(user).setRole(role).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getUserGrantRoleMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> userRevokeRole(String user, String role) {
        AuthUserRevokeRoleRequest req = AuthUserRevokeRoleRequest.newBuilder().setName(user).setRole(role).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getUserRevokeRoleMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> roleAdd(String role) {
        AuthRoleAddRequest req = AuthRoleAddRequest.newBuilder().setName(role).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getRoleAddMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<RoleGetResponse> roleGet(String role) {
        AuthRoleGetRequest req = AuthRoleGetRequest.newBuilder().setRole(role).build();
        return read(Transport.UnaryCall.of(AuthGrpc.getRoleGetMethod(), req)).thenApply(r -> {
            List<Permission> perms = new ArrayList<>(r.getPermCount());
            for (dev.etcdj.proto.authpb.Permission p : r.getPermList()) {
                perms.add(permission(p));
            }
            return new RoleGetResponse(ProtoConvert.header(r.getHeader()), perms);
        });
    }

    @Override
    public CompletableFuture<RoleListResponse> roleList() {
        return read(Transport.UnaryCall.of(AuthGrpc.getRoleListMethod(), AuthRoleListRequest.getDefaultInstance()))
                .thenApply(r -> new RoleListResponse(ProtoConvert.header(r.getHeader()), r.getRolesList()));
    }

    @Override
    public CompletableFuture<AuthResponse> roleDelete(String role) {
        AuthRoleDeleteRequest req = AuthRoleDeleteRequest.newBuilder().setRole(role).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getRoleDeleteMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> roleGrantPermission(String role, Permission permission) {
        AuthRoleGrantPermissionRequest req = AuthRoleGrantPermissionRequest.newBuilder().setName(role)
                .setPerm(permission(permission)).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getRoleGrantPermissionMethod(), req), r -> r.getHeader());
    }

    @Override
    public CompletableFuture<AuthResponse> roleRevokePermission(String role, Bytes key, Bytes rangeEnd) {
        AuthRoleRevokePermissionRequest req = AuthRoleRevokePermissionRequest.newBuilder().setRole(role)
                .setKey(ProtoConvert.toByteString(key))
                .setRangeEnd(ProtoConvert.toByteString(rangeEnd == null ? Bytes.EMPTY : rangeEnd)).build();
        return change(Transport.UnaryCall.of(AuthGrpc.getRoleRevokePermissionMethod(), req), r -> r.getHeader());
    }

    static Permission permission(dev.etcdj.proto.authpb.Permission p) {
        Permission.Type type = switch (p.getPermType()) {
            case READ -> Permission.Type.READ;
            case WRITE -> Permission.Type.WRITE;
            case READWRITE -> Permission.Type.READWRITE;
            // Unknown to this client: not something a caller could act on safely, so say so.
            default -> throw new EtcdException(EtcdException.Code.UNKNOWN,
                    "unknown permission type " + p.getPermTypeValue());
        };
        return new Permission(type, ProtoConvert.toBytes(p.getKey()), ProtoConvert.toBytes(p.getRangeEnd()));
    }

    static dev.etcdj.proto.authpb.Permission permission(Permission p) {
        dev.etcdj.proto.authpb.Permission.Type type = switch (p.type()) {
            case READ -> dev.etcdj.proto.authpb.Permission.Type.READ;
            case WRITE -> dev.etcdj.proto.authpb.Permission.Type.WRITE;
            case READWRITE -> dev.etcdj.proto.authpb.Permission.Type.READWRITE;
        };
        return dev.etcdj.proto.authpb.Permission.newBuilder().setPermType(type)
                .setKey(ProtoConvert.toByteString(p.key())).setRangeEnd(ProtoConvert.toByteString(p.rangeEnd()))
                .build();
    }

    @Override
    public CompletableFuture<AuthStatusResponse> status() {
        CompletableFuture<AuthStatusResponse> status = read(Transport.UnaryCall.of(AuthGrpc.getAuthStatusMethod(),
                AuthStatusRequest.getDefaultInstance()))
                .thenApply(r -> new AuthStatusResponse(ProtoConvert.header(r.getHeader()), r.getEnabled(),
                        r.getAuthRevision()));
        return Errors.needsVersion(status, "Auth/AuthStatus", "3.5");
    }

    private <T> CompletableFuture<T> read(Transport.UnaryCall<T> call) {
        return transport.unary(null, true, call);
    }

    private <T> CompletableFuture<AuthResponse> change(Transport.UnaryCall<T> call,
                                                       Function<T, dev.etcdj.proto.etcdserverpb.ResponseHeader> header) {
        return transport.unary(null, false, call).thenApply(r -> new AuthResponse(ProtoConvert.header(header.apply(r))));
    }

}
