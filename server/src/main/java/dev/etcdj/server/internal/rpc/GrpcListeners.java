package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.internal.PemKeys;
import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The gRPC side of a server: one listener per client URL, each serving every etcd service
 * ({@link ServerCore#grpcServices}, each behind the {@link AuthInterceptor}) and gRPC health. Kept
 * here so that the public {@code EtcdServer} knows nothing of gRPC.
 */
public final class GrpcListeners implements AutoCloseable {

    private final List<Server> servers;
    private final List<String> endpoints;

    private GrpcListeners(List<Server> servers, List<String> endpoints) {
        this.servers = servers;
        this.endpoints = endpoints;
    }

    /**
     * Binds every listen URL of {@code config}. On failure, whatever was bound is closed again.
     *
     * @throws UncheckedIOException when an address cannot be bound
     */
    public static GrpcListeners start(ServerCore core, ServerConfig config, Supplier<List<String>> advertised) {
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        List<BindableService> services = core.grpcServices(advertised);
        List<Server> started = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        SslContext ssl = null;
        try {
            for (String url : config.listenClientUrls()) {
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
                if (https && ssl == null) {
                    ssl = sslContext(config.tls());
                }
                int port = u.getPort() < 0 ? 2379 : u.getPort();
                ServerInterceptor[] tokens = {
                    new AuthInterceptor(core.authorizer(), https && config.tls().clientCertAuth()),
                    new MessageSizeInterceptor(config.maxRequestBytes() + 512 * 1024)};
                NettyServerBuilder nb = NettyServerBuilder.forAddress(new InetSocketAddress(u.getHost(), port));
                if (https) {
                    nb.sslContext(ssl);
                }
                for (BindableService svc : services) {
                    nb.addService(ServerInterceptors.intercept(svc, tokens));
                }
                keepAlive(nb, config.grpc());
                Server s = nb
                        .maxInboundMessageSize(Math.max(64 << 20, config.maxRequestBytes() + 512 * 1024))
                        .addService(health.getHealthService())
                        .build();
                s.start();
                started.add(s);
                int actual = ((InetSocketAddress) s.getListenSockets().get(0)).getPort();
                bound.add(u.getScheme() + "://" + u.getHost() + ":" + actual);
            }
        } catch (IOException e) {
            new GrpcListeners(started, List.of()).close();
            throw new UncheckedIOException("cannot bind " + config.listenClientUrls() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            new GrpcListeners(started, List.of()).close();
            throw e;
        }
        return new GrpcListeners(started, List.copyOf(bound));
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

    private static SslContext sslContext(ServerConfig.Tls tls) {
        try {
            byte[] key = PemKeys.pkcs8Pem(tls.keyFile());
            SslContextBuilder b;
            try (InputStream chain = Files.newInputStream(tls.certFile())) {
                b = SslContextBuilder.forServer(chain, new ByteArrayInputStream(key));
            }
            if (tls.requiresClientCertificates()) {
                b.clientAuth(ClientAuth.REQUIRE);
                if (tls.trustedCaFile() != null) {
                    b.trustManager(tls.trustedCaFile().toFile());
                }
            }
            GrpcSslContexts.configure(b);
            if (!tls.cipherSuites().isEmpty()) {
                b.ciphers(tls.cipherSuites());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            // SSLException first: it is an IOException, but says the files were read and are wrong.
            throw new IllegalArgumentException("invalid TLS key/cert: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS files: " + e.getMessage(), e);
        }
    }

    /** The bound client URLs, with the real port where 0 was asked. */
    public List<String> endpoints() {
        return endpoints;
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
    }
}
