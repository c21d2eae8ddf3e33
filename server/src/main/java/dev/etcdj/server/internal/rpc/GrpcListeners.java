package dev.etcdj.server.internal.rpc;

import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.gateway.Gateway;
import dev.etcdj.server.internal.http.HttpEndpoints;
import dev.etcdj.server.internal.http.PortSharing;
import dev.etcdj.server.internal.metrics.ServerMetrics;
import dev.etcdj.server.internal.tls.ServerSsl;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerStreamTracer;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The network side of a server: one listener per client URL, each serving every etcd service
 * ({@link ServerCore#grpcServices}, each behind the {@link AuthInterceptor}) and gRPC health, and on
 * the same port HTTP/1.1 (health, version, metrics, the JSON gateway); one HTTP listener per metrics
 * URL. Kept here so that the public {@code EtcdServer} knows nothing of gRPC.
 *
 * <p>Two steps, in etcd's order: {@link #bind} listens on every URL before the store is recovered,
 * and {@link #serve} wires the recovered core in and lets the connections through. A client that
 * connects in between is accepted and waits, as on etcd, where the kernel's backlog holds it: it is
 * not refused, so it does not fall into its reconnect backoff (gRPC clients wait 1 s, then 1.6 s,
 * 2.6 s... before dialling again, which made a restart look seconds slower than it was).
 */
public final class GrpcListeners implements AutoCloseable {
    static {
        ClosedStreamLog.install();
    }

    private final ServerConfig config;
    private final List<Server> servers = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();
    private final List<String> metricsEndpoints = new ArrayList<>();
    /** The services of every client listener, registered by {@link #serve}. */
    private final Registry registry = new Registry();
    /** Where client calls run: writes on their event loop, the rest on a pool ({@link CallExecutors}). */
    private final CallExecutors callExecutors = new CallExecutors();
    /** Completes once {@link #serve} has wired everything: no connection is read before. */
    private final CompletableFuture<Void> serving = new CompletableFuture<>();
    private volatile HttpEndpoints clientHttp;
    private volatile HttpEndpoints metricsHttp;
    private volatile InflightRequestBytes inflight;
    private Gateway gateway;
    private HealthStatusManager health;
    private ServerMetrics metrics;

    private GrpcListeners(ServerConfig config) {
        this.config = config;
    }

    /**
     * Binds every listen URL of {@code config}; connections are accepted but wait for {@link #serve}.
     * On failure, whatever was bound is closed again.
     *
     * @throws UncheckedIOException when an address cannot be bound
     */
    public static GrpcListeners bind(ServerConfig config) {
        GrpcListeners l = new GrpcListeners(config);
        try {
            l.bindAll();
        } catch (IOException e) {
            l.close();
            throw new UncheckedIOException("cannot bind " + config.listenClientUrls() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    private void bindAll() throws IOException {
        // Twice the limit: up to there the interceptor answers with etcd's text; beyond, grpc-java
        // refuses from the length prefix alone, so no stream can make the server buffer more.
        int transportCap = transportCap();
        ServerSsl tls = config.tls() == null ? null : ServerSsl.prepare(config.tls(), config.listenClientUrls());
        // Streams are created only once serve() has opened the gate, by then the budget is set.
        ServerStreamTracer.Factory tracer = new ServerStreamTracer.Factory() {
            @Override
            public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
                return inflight.newServerStreamTracer(fullMethodName, headers);
            }
        };
        for (String url : config.listenClientUrls()) {
            URI u = checkedUrl(url, config);
            boolean https = "https".equals(u.getScheme());
            NettyServerBuilder nb = listener(u, https ? tls.context() : null, () -> clientHttp.pipeline().get());
            nb.fallbackHandlerRegistry(registry).directExecutor().callExecutor(callExecutors);
            keepAlive(nb, config.grpc());
            endpoints.add(bind(nb.maxInboundMessageSize(transportCap).addStreamTracerFactory(tracer).build(), u));
        }
        for (String url : config.listenMetricsUrls()) {
            URI u = checkedUrl(url, config);
            boolean https = "https".equals(u.getScheme());
            // No gRPC service: an HTTP/2 client gets gRPC's "unimplemented", as from etcd's HTTP-only listener.
            metricsEndpoints.add(bind(listener(u, https ? tls.context() : null, () -> metricsHttp.pipeline().get()).build(), u));
        }
        // What serving needs but not the store, made while the store recovers on the other thread
        // (after recovery it was on a restart's critical path): the metrics families, the health
        // service, and the JSON gateway's in-process server and channel, which find their methods
        // in the same registry as the listeners (filled by serve(); no gateway call comes before).
        metrics = new ServerMetrics();
        health = new HealthStatusManager();
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        gateway = Gateway.start(b -> b.fallbackHandlerRegistry(registry));
    }

    private int transportCap() {
        return (int) Math.min(Integer.MAX_VALUE, 2L * (config.maxRequestBytes() + 512 * 1024));
    }

    /**
     * Serves {@code core} on the bound listeners and the JSON gateway: registers the services, then
     * lets the waiting connections through.
     *
     * @param advertised the advertised client URLs, for MemberList
     */
    public void serve(ServerCore core, Supplier<List<String>> advertised) {
        List<ServerServiceDefinition> services = core.grpcServices(advertised);
        metrics.attach(core);
        // One budget for all client listeners: memory is per process.
        inflight = new InflightRequestBytes(InflightRequestBytes.resolve(config.grpc().maxRequestBytesInFlight(),
                transportCap()), services);
        // The same services, behind the same interceptors, on every listener and on the gateway's
        // in-process server: auth, validation and quota apply once, in one place, whatever the entry.
        ServerInterceptor[] edge = {new MessageSizeInterceptor(config.maxRequestBytes() + 512 * 1024), metrics.grpc()};
        List<ServerServiceDefinition> served = new ArrayList<>();
        for (ServerServiceDefinition def : services) {
            metrics.grpc().initialize(def);
            served.add(MalformedRequests.guard(ServerInterceptors.intercept(def, edge)));
        }
        served.add(ServerInterceptors.intercept(health.getHealthService(), metrics.grpc()));
        registry.set(served);
        clientHttp = new HttpEndpoints(core, metrics, gateway, config.maxRequestBytes() + 512 * 1024);
        metricsHttp = new HttpEndpoints(core, metrics, null, 64 * 1024);
        serving.complete(null);
    }

    /** The client listeners' methods, known once {@link #serve} has them (no call reaches here before). */
    private static final class Registry extends HandlerRegistry {
        private volatile Map<String, ServerMethodDefinition<?, ?>> methods = Map.of();

        void set(List<ServerServiceDefinition> services) {
            Map<String, ServerMethodDefinition<?, ?>> m = new HashMap<>();
            for (ServerServiceDefinition def : services) {
                def.getMethods().forEach(d -> m.put(d.getMethodDescriptor().getFullMethodName(), d));
            }
            methods = Map.copyOf(m);
        }

        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            return methods.get(methodName);
        }
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
    private NettyServerBuilder listener(URI u, SslContext ssl, Supplier<List<ChannelHandler>> http) {
        int port = u.getPort() < 0 ? 2379 : u.getPort();
        return NettyServerBuilder.forAddress(new InetSocketAddress(u.getHost(), port),
                        PortSharing.credentials(ssl, http, serving))
                // PortSharing closes silent connections itself; gRPC's timeout would also end HTTP/1.1 ones.
                .handshakeTimeout(Long.MAX_VALUE, TimeUnit.MILLISECONDS)
                // HTTP/2 rapid reset (CVE-2023-44487): a connection resetting more than 1,000 streams in
                // 10 s gets GOAWAY ENHANCE_YOUR_CALM (off by default in grpc-java). Cancelling clients
                // stay far below: that is 100 cancelled calls a second, sustained.
                .maxRstFramesPerWindow(1000, 10);
    }

    private String bind(Server s, URI u) throws IOException {
        s.start();
        servers.add(s);
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
        return List.copyOf(endpoints);
    }

    /** The bound metrics URLs, with the real port where 0 was asked. */
    public List<String> metricsEndpoints() {
        return List.copyOf(metricsEndpoints);
    }

    /** Stops taking new calls; running ones go on until {@link #close()}. */
    public void stopAccepting() {
        for (Server s : servers) {
            s.shutdown();
        }
    }

    @Override
    public void close() {
        serving.cancel(false); // connections still waiting are closed
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
        callExecutors.close();
        if (gateway != null) {
            gateway.close();
        }
    }
}
