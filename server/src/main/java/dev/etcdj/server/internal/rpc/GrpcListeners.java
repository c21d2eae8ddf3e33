package dev.etcdj.server.internal.rpc;

import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.gateway.Gateway;
import dev.etcdj.server.internal.http.HttpEndpoints;
import dev.etcdj.server.internal.http.PortSharing;
import dev.etcdj.server.internal.metrics.ServerMetrics;
import dev.etcdj.server.internal.tls.ServerSsl;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The network side of a server: one listener per client URL, each serving every etcd service
 * ({@link ServerCore#grpcServices}, each behind the {@link AuthInterceptor}) and gRPC health, and on
 * the same port HTTP/1.1 (health, version, metrics, the JSON gateway); one HTTP listener per metrics
 * URL. Kept here so that the public {@code EtcdServer} knows nothing of gRPC.
 */
public final class GrpcListeners implements AutoCloseable {
    static {
        ClosedStreamLog.install();
    }

    private final List<Server> servers;
    private final List<String> endpoints;
    private final List<String> metricsEndpoints;
    private final Gateway gateway;

    private GrpcListeners(List<Server> servers, List<String> endpoints, List<String> metricsEndpoints, Gateway gateway) {
        this.servers = servers;
        this.endpoints = endpoints;
        this.metricsEndpoints = metricsEndpoints;
        this.gateway = gateway;
    }

    /**
     * Binds every listen URL of {@code config}. On failure, whatever was bound is closed again.
     *
     * @throws UncheckedIOException when an address cannot be bound
     */
    public static GrpcListeners start(ServerCore core, ServerConfig config, Supplier<List<String>> advertised) {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        List<ServerServiceDefinition> services = core.grpcServices(advertised);
        ServerMetrics metrics = new ServerMetrics(core);
        // Twice the limit: up to there the interceptor answers with etcd's text; beyond, grpc-java
        // refuses from the length prefix alone, so no stream can make the server buffer more.
        int transportCap = (int) Math.min(Integer.MAX_VALUE, 2L * (config.maxRequestBytes() + 512 * 1024));
        // One budget for all client listeners: memory is per process.
        InflightRequestBytes inflight = new InflightRequestBytes(
                InflightRequestBytes.resolve(config.grpc().maxRequestBytesInFlight(), transportCap), services);
        // The same services, behind the same interceptors, on every listener and on the gateway's
        // in-process server: auth, validation and quota apply once, in one place, whatever the entry.
        Consumer<ServerBuilder<?>> serve = b -> {
            ServerInterceptor[] edge = {
                new MessageSizeInterceptor(config.maxRequestBytes() + 512 * 1024),
                metrics.grpc()};
            for (ServerServiceDefinition def : services) {
                metrics.grpc().initialize(def);
                b.addService(MalformedRequests.guard(ServerInterceptors.intercept(def, edge)));
            }
            b.addService(ServerInterceptors.intercept(health.getHealthService(), metrics.grpc()));
        };
        List<Server> started = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        List<String> metricsBound = new ArrayList<>();
        Gateway gateway = null;
        try {
            gateway = Gateway.start(serve);
            HttpEndpoints clientHttp = new HttpEndpoints(core, metrics, gateway, config.maxRequestBytes() + 512 * 1024);
            HttpEndpoints metricsHttp = new HttpEndpoints(core, metrics, null, 64 * 1024);
            ServerSsl tls = config.tls() == null ? null : ServerSsl.prepare(config.tls(), config.listenClientUrls());
            for (String url : config.listenClientUrls()) {
                URI u = checkedUrl(url, config);
                boolean https = "https".equals(u.getScheme());
                NettyServerBuilder nb = listener(u, https ? tls.context() : null, clientHttp);
                serve.accept(nb);
                keepAlive(nb, config.grpc());
                Server s = nb.maxInboundMessageSize(transportCap).addStreamTracerFactory(inflight).build();
                bound.add(bind(s, u, started));
            }
            for (String url : config.listenMetricsUrls()) {
                URI u = checkedUrl(url, config);
                boolean https = "https".equals(u.getScheme());
                // No gRPC service: an HTTP/2 client gets gRPC's "unimplemented", as from etcd's HTTP-only listener.
                metricsBound.add(bind(listener(u, https ? tls.context() : null, metricsHttp).build(), u, started));
            }
        } catch (IOException e) {
            new GrpcListeners(started, List.of(), List.of(), gateway).close();
            throw new UncheckedIOException("cannot bind " + config.listenClientUrls() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            new GrpcListeners(started, List.of(), List.of(), gateway).close();
            throw e;
        }
        return new GrpcListeners(started, List.copyOf(bound), List.copyOf(metricsBound), gateway);
    }

    private static URI checkedUrl(String url, ServerConfig config) {
        URI u = URI.create(url);
        boolean https = "https".equals(u.getScheme());
        if (!https && !"http".equals(u.getScheme())) {
            throw new IllegalArgumentException("client URL scheme must be http or https: " + url);
        }
        if (https && config.tls() == null) {
            // etcd's own words for this misconfiguration.
            throw new IllegalArgumentException("TLS key/cert (--cert-file, --key-file) must be provided for client url "
                    + url + " with HTTPS scheme");
        }
        return u;
    }

    /** A listener that serves gRPC and, on the same port, HTTP/1.1 (etcd's cmux). */
    private static NettyServerBuilder listener(URI u, SslContext ssl, HttpEndpoints http) {
        int port = u.getPort() < 0 ? 2379 : u.getPort();
        return NettyServerBuilder.forAddress(new InetSocketAddress(u.getHost(), port),
                        PortSharing.credentials(ssl, http.pipeline()))
                // PortSharing closes silent connections itself; gRPC's timeout would also end HTTP/1.1 ones.
                .handshakeTimeout(Long.MAX_VALUE, TimeUnit.MILLISECONDS)
                // HTTP/2 rapid reset (CVE-2023-44487): a connection resetting more than 1,000 streams in
                // 10 s gets GOAWAY ENHANCE_YOUR_CALM (off by default in grpc-java). Cancelling clients
                // stay far below: that is 100 cancelled calls a second, sustained.
                .maxRstFramesPerWindow(1000, 10);
    }

    private static String bind(Server s, URI u, List<Server> started) throws IOException {
        s.start();
        started.add(s);
        int actual = ((InetSocketAddress) s.getListenSockets().get(0)).getPort();
        return u.getScheme() + "://" + u.getHost() + ":" + actual;
    }

    /**
     * etcd's gRPC server options: clients may ping no more often than the min time, and only while a call
     * is open, else GOAWAY; the server pings an idle connection every interval and drops it after the timeout.
     * A zero interval or timeout disables the ping, as in etcd. Streams per connection: HTTP/2's
     * MAX_CONCURRENT_STREAMS (gRPC-Java caps it at Integer.MAX_VALUE).
     */
    private static void keepAlive(NettyServerBuilder nb, ServerConfig.Grpc g) {
        nb.permitKeepAliveWithoutCalls(false)
                .maxConcurrentCallsPerConnection((int) Math.min(Integer.MAX_VALUE, g.maxConcurrentStreams()));
        if (!g.keepAliveMinTime().isZero()) { // zero: gRPC's default policy (5 minutes), as in etcd
            nb.permitKeepAliveTime(g.keepAliveMinTime().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!g.keepAliveInterval().isZero() && !g.keepAliveTimeout().isZero()) {
            nb.keepAliveTime(g.keepAliveInterval().toNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveTimeout(g.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The bound client URLs, with the real port where 0 was asked. */
    public List<String> endpoints() {
        return endpoints;
    }

    /** The bound metrics URLs, with the real port where 0 was asked. */
    public List<String> metricsEndpoints() {
        return metricsEndpoints;
    }

    /** Stops taking new calls; running ones go on until {@link #close()}. */
    public void stopAccepting() {
        for (Server s : servers) {
            s.shutdown();
        }
    }

    @Override
    public void close() {
        for (Server s : servers) {
            s.shutdownNow();
        }
        for (Server s : servers) {
            try {
                s.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        servers.clear();
        if (gateway != null) {
            gateway.close();
        }
    }
}
