package dev.etcdj.server.internal.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.server.internal.http.HttpEndpoints;
import dev.etcdj.server.internal.http.HttpReplies;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd 3.4's grpc-gateway: the {@code /v3/...} JSON API. Like etcd's, it is a client of the server's
 * own gRPC services, here over an in-process channel to a server that carries the very same
 * services and interceptors as the network listeners, so auth, validation, quota and metrics apply
 * exactly as for a gRPC call. The {@code Authorization} header carries the bare token.
 */
public final class Gateway implements HttpEndpoints.Route, AutoCloseable {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * How a path is served: one request and one answer; requests (every JSON value of the body) and
     * a stream of answers, the call then half-closed (lease keep-alive) or left open until the client
     * goes away (watch: etcd ignores a watch client's half-close); one request and a stream of answers.
     */
    enum Kind { UNARY, STREAM_IN_OUT, STREAM_IN_OUT_KEEP_OPEN, STREAM_OUT }

    record Route(MethodDescriptor<Message, Message> method, Message prototype, Kind kind) {
    }

    private final Server server;
    private final ManagedChannel channel;
    private final Map<String, Route> routes = new HashMap<>();

    private Gateway(Server server, ManagedChannel channel) {
        this.server = server;
        this.channel = channel;
        unary("/v3/kv/range", KVGrpc.getRangeMethod());
        unary("/v3/kv/put", KVGrpc.getPutMethod());
        unary("/v3/kv/deleterange", KVGrpc.getDeleteRangeMethod());
        unary("/v3/kv/txn", KVGrpc.getTxnMethod());
        unary("/v3/kv/compaction", KVGrpc.getCompactMethod());
        route("/v3/watch", WatchGrpc.getWatchMethod(), Kind.STREAM_IN_OUT_KEEP_OPEN);
        unary("/v3/lease/grant", LeaseGrpc.getLeaseGrantMethod());
        for (String prefix : List.of("/v3/lease/", "/v3/kv/lease/")) {
            unary(prefix + "revoke", LeaseGrpc.getLeaseRevokeMethod());
            unary(prefix + "timetolive", LeaseGrpc.getLeaseTimeToLiveMethod());
            unary(prefix + "leases", LeaseGrpc.getLeaseLeasesMethod());
        }
        route("/v3/lease/keepalive", LeaseGrpc.getLeaseKeepAliveMethod(), Kind.STREAM_IN_OUT);
        unary("/v3/cluster/member/add", ClusterGrpc.getMemberAddMethod());
        unary("/v3/cluster/member/remove", ClusterGrpc.getMemberRemoveMethod());
        unary("/v3/cluster/member/update", ClusterGrpc.getMemberUpdateMethod());
        unary("/v3/cluster/member/list", ClusterGrpc.getMemberListMethod());
        unary("/v3/cluster/member/promote", ClusterGrpc.getMemberPromoteMethod());
        unary("/v3/maintenance/alarm", MaintenanceGrpc.getAlarmMethod());
        unary("/v3/maintenance/status", MaintenanceGrpc.getStatusMethod());
        unary("/v3/maintenance/defragment", MaintenanceGrpc.getDefragmentMethod());
        // etcd maps Hash and HashKV to the same path; the first registered, Hash, answers it.
        unary("/v3/maintenance/hash", MaintenanceGrpc.getHashMethod());
        route("/v3/maintenance/snapshot", MaintenanceGrpc.getSnapshotMethod(), Kind.STREAM_OUT);
        unary("/v3/maintenance/transfer-leadership", MaintenanceGrpc.getMoveLeaderMethod());
        unary("/v3/auth/enable", AuthGrpc.getAuthEnableMethod());
        unary("/v3/auth/disable", AuthGrpc.getAuthDisableMethod());
        unary("/v3/auth/authenticate", AuthGrpc.getAuthenticateMethod());
        unary("/v3/auth/user/add", AuthGrpc.getUserAddMethod());
        unary("/v3/auth/user/get", AuthGrpc.getUserGetMethod());
        unary("/v3/auth/user/list", AuthGrpc.getUserListMethod());
        unary("/v3/auth/user/delete", AuthGrpc.getUserDeleteMethod());
        unary("/v3/auth/user/changepw", AuthGrpc.getUserChangePasswordMethod());
        unary("/v3/auth/user/grant", AuthGrpc.getUserGrantRoleMethod());
        unary("/v3/auth/user/revoke", AuthGrpc.getUserRevokeRoleMethod());
        unary("/v3/auth/role/add", AuthGrpc.getRoleAddMethod());
        unary("/v3/auth/role/get", AuthGrpc.getRoleGetMethod());
        unary("/v3/auth/role/list", AuthGrpc.getRoleListMethod());
        unary("/v3/auth/role/delete", AuthGrpc.getRoleDeleteMethod());
        unary("/v3/auth/role/grant", AuthGrpc.getRoleGrantPermissionMethod());
        unary("/v3/auth/role/revoke", AuthGrpc.getRoleRevokePermissionMethod());
    }

    /**
     * Starts the in-process server that {@code services} sets up (its services, or the registry it
     * finds them in), and the channel to it.
     */
    public static Gateway start(Consumer<ServerBuilder<?>> services) {
        String name = "etcdj-gateway-" + System.identityHashCode(new Object()) + "-" + System.nanoTime();
        InProcessServerBuilder b = InProcessServerBuilder.forName(name);
        services.accept(b);
        Server server = b.build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JSON gateway: " + e.getMessage(), e);
        }
        return new Gateway(server, InProcessChannelBuilder.forName(name).build());
    }

    private void unary(String path, MethodDescriptor<?, ?> method) {
        route(path, method, Kind.UNARY);
    }

    @SuppressWarnings("unchecked")
    private void route(String path, MethodDescriptor<?, ?> method, Kind kind) {
        MethodDescriptor<Message, Message> m = (MethodDescriptor<Message, Message>) method;
        Message prototype = ((MethodDescriptor.PrototypeMarshaller<Message>) m.getRequestMarshaller()).getMessagePrototype();
        routes.put(path, new Route(m, prototype, kind));
    }

    @Override
    public void handle(FullHttpRequest request, String path, HttpReplies reply) {
        Route route = routes.get(path);
        if (route == null) {
            reply.error(404, "Not Found");
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            reply.error(405, "Method Not Allowed");
            return;
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        Metadata headers = new Metadata();
        String token = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (token != null) {
            headers.put(AUTHORIZATION, token);
        }
        ClientCall<Message, Message> call = channel.newCall(route.method(), CallOptions.DEFAULT);
        boolean manyRequests = route.kind() == Kind.STREAM_IN_OUT || route.kind() == Kind.STREAM_IN_OUT_KEEP_OPEN;
        List<String> values = manyRequests ? GatewayJson.values(body) : List.of(body);
        Message[] requests = new Message[values.size()];
        try {
            for (int i = 0; i < requests.length; i++) {
                Message.Builder b = route.prototype().newBuilderForType();
                GatewayJson.parse(values.get(i), b);
                requests[i] = b.build();
            }
        } catch (InvalidProtocolBufferException e) {
            Status bad = Status.INVALID_ARGUMENT.withDescription(GatewayJson.parseError(values, e));
            reply.send(GatewayJson.httpStatus(bad.getCode()), HttpReplies.JSON, GatewayJson.error(bad));
            return;
        }
        call.start(new Answer(reply, route.kind() == Kind.UNARY), headers);
        if (route.kind() != Kind.UNARY) {
            reply.onClose(() -> call.cancel("HTTP client went away", null));
        }
        for (Message m : requests) {
            call.sendMessage(m);
        }
        if (route.kind() != Kind.STREAM_IN_OUT_KEEP_OPEN) {
            call.halfClose();
        }
        call.request(route.kind() == Kind.UNARY ? 2 : Integer.MAX_VALUE);
    }

    /**
     * The HTTP answer to a call. Unary: the JSON of the response, or grpc-gateway's error body with
     * the mapped status. A stream: one {@code {"result":…}} line per response, an {@code {"error":…}}
     * line if it fails.
     */
    private static final class Answer extends ClientCall.Listener<Message> {
        private final HttpReplies reply;
        private final boolean unary;
        private Message response; // unary: the one response
        private boolean started; // stream: the status and headers are sent

        Answer(HttpReplies reply, boolean unary) {
            this.reply = reply;
            this.unary = unary;
        }

        @Override
        public void onMessage(Message message) {
            if (unary) {
                response = message;
                return;
            }
            if (!started) {
                started = true;
                reply.startStream(200, HttpReplies.JSON);
            }
            reply.chunk("{\"result\":" + GatewayJson.print(message) + "}\n");
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (unary) {
                if (status.isOk() && response != null) {
                    reply.send(200, HttpReplies.JSON, GatewayJson.print(response));
                } else {
                    reply.send(GatewayJson.httpStatus(status.getCode()), HttpReplies.JSON, GatewayJson.error(status));
                }
                return;
            }
            if (!started && !status.isOk()) {
                reply.send(GatewayJson.httpStatus(status.getCode()), HttpReplies.JSON,
                        "{\"error\":" + GatewayJson.streamError(status) + "}");
                return;
            }
            if (!started) {
                reply.startStream(200, HttpReplies.JSON);
            }
            if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
                reply.chunk("{\"error\":" + GatewayJson.streamError(status) + "}");
            }
            reply.end();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
