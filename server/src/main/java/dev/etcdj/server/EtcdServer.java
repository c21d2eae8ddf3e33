package dev.etcdj.server;

import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.ServerExtension;
import dev.etcdj.server.internal.rpc.ClusterService;
import dev.etcdj.server.internal.rpc.KvService;
import dev.etcdj.server.internal.rpc.LeaseService;
import dev.etcdj.server.internal.rpc.MaintenanceService;
import dev.etcdj.server.internal.rpc.TokenInterceptor;
import dev.etcdj.server.internal.rpc.WatchService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

/**
 * An embeddable single-node etcd server speaking etcd 3.4's v3 gRPC API.
 *
 * <pre>{@code
 * try (EtcdServer server = EtcdServer.builder().inMemory()
 *         .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
 *     server.start();
 *     String endpoint = server.endpoint();
 * }
 * }</pre>
 *
 * Writes are acknowledged only once durable (fsync, shared between concurrent writers).
 * {@link #close()} releases every thread, port and file handle.
 */
public final class EtcdServer implements AutoCloseable {
    private final ServerConfig config;
    private final Object lifecycle = new Object();
    private ServerCore core;
    private final List<Server> grpcServers = new ArrayList<>();
    private volatile List<String> endpoints = List.of();
    private volatile List<String> advertised = List.of();
    private boolean started;
    private boolean closed;

    private EtcdServer(ServerConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens the store and binds every listen URL; returns when ready to serve. */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("server closed");
            }
            if (started) {
                return;
            }
            core = new ServerCore(config);
            try {
                core.start();
                HealthStatusManager health = new HealthStatusManager();
                health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
                List<io.grpc.BindableService> extra = new ArrayList<>();
                for (ServerExtension ext : ServiceLoader.load(ServerExtension.class, EtcdServer.class.getClassLoader())) {
                    ext.install(core, extra::add);
                }
                List<String> bound = new ArrayList<>();
                for (String url : config.listenClientUrls()) {
                    URI u = URI.create(url);
                    if (!"http".equals(u.getScheme())) {
                        throw new IllegalArgumentException("only http:// client URLs are supported: " + url);
                    }
                    int port = u.getPort() < 0 ? 2379 : u.getPort();
                    TokenInterceptor tokens = new TokenInterceptor();
                    NettyServerBuilder nb = NettyServerBuilder.forAddress(new InetSocketAddress(u.getHost(), port));
                    for (io.grpc.BindableService svc : extra) {
                        nb.addService(ServerInterceptors.intercept(svc, tokens));
                    }
                    Server s = nb
                            .maxInboundMessageSize(config.maxRequestBytes() + 512 * 1024)
                            .permitKeepAliveWithoutCalls(true)
                            .permitKeepAliveTime(5, TimeUnit.SECONDS)
                            .addService(ServerInterceptors.intercept(new KvService(core), tokens))
                            .addService(ServerInterceptors.intercept(new WatchService(core), tokens))
                            .addService(ServerInterceptors.intercept(new LeaseService(core), tokens))
                            .addService(ServerInterceptors.intercept(
                                    new ClusterService(core, () -> advertised), tokens))
                            .addService(ServerInterceptors.intercept(new MaintenanceService(core), tokens))
                            .addService(health.getHealthService())
                            .build();
                    s.start();
                    grpcServers.add(s);
                    int actual = ((InetSocketAddress) s.getListenSockets().get(0)).getPort();
                    bound.add("http://" + u.getHost() + ":" + actual);
                }
                endpoints = List.copyOf(bound);
                advertised = config.advertiseClientUrls().isEmpty() ? endpoints : config.advertiseClientUrls();
                started = true;
            } catch (IOException | RuntimeException e) {
                shutdown();
                throw e;
            }
        }
    }

    /** Actual client URLs (with the real port when 0 was asked). */
    public List<String> endpoints() {
        return endpoints;
    }

    public String endpoint() {
        List<String> e = endpoints;
        if (e.isEmpty()) {
            throw new IllegalStateException("server not started");
        }
        return e.get(0);
    }

    public long memberId() {
        return requireCore().memberId();
    }

    public long clusterId() {
        return requireCore().clusterId();
    }

    private ServerCore requireCore() {
        ServerCore c = core;
        if (c == null) {
            throw new IllegalStateException("server not started");
        }
        return c;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            shutdown();
        }
    }

    private void shutdown() {
        for (Server s : grpcServers) {
            s.shutdown();
        }
        if (core != null) {
            core.close();
        }
        for (Server s : grpcServers) {
            try {
                if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                    s.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        grpcServers.clear();
        endpoints = List.of();
    }

    /** Builder with etcd's defaults. */
    public static final class Builder {
        private String name = "default";
        private Path dataDir;
        private boolean inMemory;
        private List<String> listen = List.of("http://127.0.0.1:2379");
        private List<String> advertise = List.of();
        private List<String> peerUrls = List.of("http://localhost:2380");
        private int maxTxnOps = 128;
        private int maxRequestBytes = 1_572_864;
        private long quotaBackendBytes = 2L * 1024 * 1024 * 1024;
        private Duration autoCompactionRetention = Duration.ZERO;
        private Duration progressNotifyInterval = Duration.ofMinutes(10);

        private Builder() {
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir);
            this.inMemory = false;
            return this;
        }

        /** Store in a temporary directory deleted on close, without fsync: for tests. */
        public Builder inMemory() {
            this.inMemory = true;
            this.dataDir = null;
            return this;
        }

        public Builder listenClientUrls(List<String> urls) {
            this.listen = List.copyOf(urls);
            return this;
        }

        public Builder advertiseClientUrls(List<String> urls) {
            this.advertise = List.copyOf(urls);
            return this;
        }

        /** Peer URLs reported by MemberList (no peer traffic is served). Default http://localhost:2380. */
        public Builder advertisePeerUrls(List<String> urls) {
            this.peerUrls = List.copyOf(urls);
            return this;
        }

        public Builder maxTxnOps(int n) {
            this.maxTxnOps = n;
            return this;
        }

        public Builder maxRequestBytes(int n) {
            this.maxRequestBytes = n;
            return this;
        }

        public Builder quotaBackendBytes(long n) {
            this.quotaBackendBytes = n;
            return this;
        }

        public Builder autoCompactionRetention(Duration d) {
            this.autoCompactionRetention = Objects.requireNonNull(d);
            return this;
        }

        public Builder progressNotifyInterval(Duration d) {
            this.progressNotifyInterval = Objects.requireNonNull(d);
            return this;
        }

        public EtcdServer build() {
            if (!inMemory && dataDir == null) {
                dataDir = Path.of(name + ".etcd");
            }
            if (listen.isEmpty()) {
                throw new IllegalArgumentException("at least one listen client URL is required");
            }
            return new EtcdServer(new ServerConfig(name, inMemory ? null : dataDir.resolve("rocksdb"), listen,
                    advertise, peerUrls, maxTxnOps, maxRequestBytes, quotaBackendBytes,
                    autoCompactionRetention, progressNotifyInterval));
        }
    }
}
