package dev.etcdj.server.internal.http;

import dev.etcdj.proto.etcdserverpb.AlarmMember;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.metrics.ServerMetrics;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufOutputStream;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * etcd's HTTP endpoints on a listener: {@code /health}, {@code /metrics}, and on client URLs also
 * {@code /version} and the {@code /v3/} JSON gateway. Bodies, status codes and headers as etcd 3.4.
 */
public final class HttpEndpoints {
    private static final Logger LOG = Logger.getLogger(HttpEndpoints.class.getName());

    /** The JSON gateway, or whatever else answers {@code /v3/...}. */
    public interface Route {
        void handle(FullHttpRequest request, String path, HttpReplies reply);
    }

    private final ServerCore core;
    private final ServerMetrics metrics;
    private final Route v3;
    private final boolean clientUrl;
    private final int maxBody;

    /**
     * @param v3 the gateway, for a client URL; null for a metrics URL (which serves no /version either)
     */
    public HttpEndpoints(ServerCore core, ServerMetrics metrics, Route v3, int maxBody) {
        this.core = core;
        this.metrics = metrics;
        this.v3 = v3;
        this.clientUrl = v3 != null;
        this.maxBody = maxBody;
    }

    /** The handlers of one HTTP/1.1 connection, for {@link PortSharing}. */
    public Supplier<List<ChannelHandler>> pipeline() {
        return () -> List.of(new HttpServerCodec(), new HttpObjectAggregator(maxBody), new Handler());
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            HttpReplies reply = new HttpReplies(ctx, HttpUtil.isKeepAlive(req), clientUrl);
            if (!req.decoderResult().isSuccess()) {
                reply.error(400, "400 Bad Request");
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            if (clientUrl && req.method().equals(HttpMethod.OPTIONS)) {
                reply.send(200, null, ""); // a CORS preflight: etcd answers with its headers only
                return;
            }
            switch (path) {
                case "/health" -> health(req, uri, reply);
                case "/metrics" -> metrics(reply);
                case "/version" -> {
                    if (clientUrl) {
                        version(req, reply);
                    } else {
                        reply.error(404, "404 page not found");
                    }
                }
                default -> {
                    if (clientUrl && path.startsWith("/v3/")) {
                        v3.handle(req, path, reply);
                    } else {
                        reply.error(404, "404 page not found");
                    }
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.FINE, "HTTP connection closed after an error", cause);
            ctx.close();
        }
    }

    private void health(FullHttpRequest req, QueryStringDecoder uri, HttpReplies reply) {
        if (!req.method().equals(HttpMethod.GET)) {
            reply.methodNotAllowed("GET");
            return;
        }
        Set<String> excluded = Set.copyOf(uri.parameters().getOrDefault("exclude", List.of()));
        boolean healthy = true;
        for (AlarmMember a : core.alarms().list()) {
            if (!excluded.contains(a.getAlarm().name())) {
                healthy = false;
                break;
            }
        }
        metrics.healthChecked(healthy);
        if (healthy) {
            reply.send(200, HttpReplies.TEXT, "{\"health\":\"true\"}");
        } else {
            reply.error(503, "{\"health\":\"false\"}");
        }
    }

    private void version(FullHttpRequest req, HttpReplies reply) {
        if (!req.method().equals(HttpMethod.GET)) {
            reply.methodNotAllowed("GET");
            return;
        }
        reply.send(200, HttpReplies.JSON, "{\"etcdserver\":\"" + ServerCore.VERSION + "\",\"etcdcluster\":\"3.4.0\"}");
    }

    private void metrics(HttpReplies reply) {
        ByteBuf body = Unpooled.buffer(64 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.scrape(out);
        } catch (IOException | RuntimeException e) {
            body.release();
            LOG.log(Level.WARNING, "cannot render /metrics", e);
            reply.error(500, "An error has occurred while serving metrics:\n\n" + e.getMessage());
            return;
        }
        reply.send(200, metrics.contentType(), body);
    }
}
