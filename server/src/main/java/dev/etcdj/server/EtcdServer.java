package dev.etcdj.server;

import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.rpc.GrpcListeners;
import dev.etcdj.server.internal.snapshot.RestoreOnStart;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** The etcd version whose API and answers this server reproduces. */
    public static final String VERSION = ServerCore.VERSION;
    private static final Logger LOG = LoggerFactory.getLogger(EtcdServer.class);

    private final ServerConfig config;
    private final Object lifecycle = new Object();
    private ServerCore core;
    private GrpcListeners network;
    private volatile List<String> endpoints = List.of();
    private volatile List<String> metricsEndpoints = List.of();
    private volatile List<String> advertised = List.of();
    private boolean started;
    private boolean closed;

    private final RestoreOnStart restore;

    private EtcdServer(ServerConfig config, Path restoreFrom) {
        this.config = config;
        this.restore = restoreFrom == null ? null : new RestoreOnStart(restoreFrom);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the store and binds every listen URL; returns when ready to serve.
     *
     * @throws java.io.UncheckedIOException if a listen address cannot be bound
     * @throws IllegalStateException if the data dir cannot be opened (e.g. in use by another server)
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("server closed");
            }
            if (started) {
                return;
            }
            // The store recovers on its own thread while the listeners bind (which loads most of
            // Netty's and gRPC's classes): on two cores, the two overlap.
            CompletableFuture<ServerCore> recovering = new CompletableFuture<>();
            Thread recovery = new Thread(() -> {
                try {
                    recovering.complete(new ServerCore(restore == null ? config : restore.restore(config)));
                } catch (Throwable t) {
                    recovering.completeExceptionally(t);
                }
            }, "etcdj-recovery");
            recovery.start();
            try {
                // Listening before the store is ready, as etcd does: a client that connects
                // meanwhile waits for it instead of being refused (and backing off for seconds).
                try {
                    network = GrpcListeners.bind(config);
                } catch (RuntimeException e) {
                    closeRecovered(recovering); // etcd reports the listener, not the store
                    throw e;
                }
                endpoints = network.endpoints();
                metricsEndpoints = network.metricsEndpoints();
                advertised = config.advertiseClientUrls().isEmpty() ? endpoints : config.advertiseClientUrls();
                core = recovered(recovering);
                core.start();
                network.serve(core, () -> advertised);
                started = true;
                logServing(endpoints);
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
    }

    /** The recovered core, or what recovering it threw. */
    private static ServerCore recovered(CompletableFuture<ServerCore> recovering) {
        try {
            return recovering.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** Waits for the recovery a failed start no longer needs and closes what it opened. */
    private static void closeRecovered(CompletableFuture<ServerCore> recovering) {
        try {
            recovering.join().close();
        } catch (RuntimeException e) {
            // the start fails anyway, with the listener's error; this one comes second
            LOG.atDebug().setCause(e).log("the store was not opened either");
        }
    }

    /**
     * The lines etcd 3.4 logs once it serves clients, with the same message and "address" field
     * (host:port), which scripts and operators grep for.
     */
    private static void logServing(List<String> endpoints) {
        LOG.atInfo().log("ready to serve client requests");
        for (String e : endpoints) {
            URI u = URI.create(e);
            String address = u.getHost() + ":" + u.getPort();
            if ("https".equals(u.getScheme())) {
                LOG.atInfo().addKeyValue("address", address).log("serving client traffic securely");
            } else {
                LOG.atInfo().addKeyValue("address", address)
                        .log("serving client traffic insecurely; this is strongly discouraged!");
            }
        }
    }

    /** Actual metrics URLs (with the real port when 0 was asked); empty when none were asked. */
    public List<String> metricsEndpoints() {
        return metricsEndpoints;
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
        if (network != null) {
            network.stopAccepting();
        }
        if (core != null) {
            core.close();
        }
        if (network != null) {
            network.close();
            network = null;
        }
        endpoints = List.of();
        metricsEndpoints = List.of();
        if (restore != null) {
            restore.cleanUp();
        }
    }

    /** Builder with etcd's defaults. */
    public static final class Builder {
        private String name = "default";
        private Path dataDir;
        private boolean inMemory;
        private List<String> listen = List.of("http://127.0.0.1:2379");
        private List<String> advertise = List.of();
        private List<String> metricsUrls = List.of();
        private List<String> peerUrls = List.of("http://localhost:2380");
        private int maxTxnOps = 128;
        private int maxRequestBytes = 1_572_864;
        private long quotaBackendBytes = 2L * 1024 * 1024 * 1024;
        private Duration autoCompactionRetention = Duration.ZERO;
        private Duration progressNotifyInterval = Duration.ofMinutes(10);
        private long autoCompactionRevisions;
        private ServerConfig.Grpc grpc = ServerConfig.Grpc.DEFAULTS;
        private List<String> cipherSuites = List.of();
        private String authToken = "simple";
        private long authTokenTtlSeconds;
        private int bcryptCost = 10;
        private Path certFile;
        private Path keyFile;
        private Path trustedCaFile;
        private boolean clientCertAuth;
        private Path crlFile;
        private String allowedHostname;
        private boolean autoTls;
        private Path restoreFrom;

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

        /**
         * etcd's {@code --listen-metrics-urls}: extra listeners serving only {@code /metrics} and
         * {@code /health} over HTTP/1.1 ({@code https://} ones with the {@link #tls} certificate). The
         * client URLs serve both as well, next to gRPC and the JSON gateway.
         */
        public Builder listenMetricsUrls(List<String> urls) {
            this.metricsUrls = List.copyOf(urls);
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

        /**
         * etcd's periodic auto-compaction ({@code --auto-compaction-mode periodic}): keeps this much
         * history. Zero (the default) disables it. Replaces a revision retention.
         */
        public Builder autoCompactionRetention(Duration d) {
            this.autoCompactionRetention = Objects.requireNonNull(d);
            this.autoCompactionRevisions = 0;
            return this;
        }

        /**
         * etcd's revision auto-compaction ({@code --auto-compaction-mode revision}): every 5 minutes,
         * compacts to the current revision minus {@code revisions}. Zero disables it. Replaces a periodic retention.
         */
        public Builder autoCompactionRevisionRetention(long revisions) {
            if (revisions < 0) {
                throw new IllegalArgumentException("revision retention must be >= 0: " + revisions);
            }
            this.autoCompactionRevisions = revisions;
            this.autoCompactionRetention = Duration.ZERO;
            return this;
        }

        /**
         * etcd's {@code --grpc-keepalive-min-time} (the shortest client ping interval accepted; a client pinging
         * more often is sent GOAWAY), {@code --grpc-keepalive-interval} (server pings an idle connection this
         * often; zero disables) and {@code --grpc-keepalive-timeout} (closes it when a ping is not answered in time).
         */
        public Builder grpcKeepAlive(Duration minTime, Duration interval, Duration timeout) {
            this.grpc = new ServerConfig.Grpc(Objects.requireNonNull(minTime), Objects.requireNonNull(interval),
                    Objects.requireNonNull(timeout), grpc.maxConcurrentStreams(), grpc.maxRequestBytesInFlight());
            return this;
        }

        /** etcd's {@code --max-concurrent-streams}: HTTP/2 streams one client connection may open at a time. */
        public Builder maxConcurrentStreams(long n) {
            if (n < 0 || n > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("max concurrent streams must be a uint32: " + n);
            }
            this.grpc = new ServerConfig.Grpc(grpc.keepAliveMinTime(), grpc.keepAliveInterval(), grpc.keepAliveTimeout(), n,
                    grpc.maxRequestBytesInFlight());
            return this;
        }

        /**
         * The most request bytes the server holds at once (not an etcd flag): bytes of gRPC requests
         * being received or waiting to be applied. A request that would go beyond is refused with etcd's
         * "etcdserver: too many requests" (RESOURCE_EXHAUSTED), which clients retry later. Default: the
         * {@code etcdj.maxRequestBytesInFlight} system property, else a sixteenth of the smaller of the JVM's
         * heap and direct memory limits. It must hold two of the largest messages the transport accepts
         * (each 2 × (max request bytes + 512 KiB), 4 MiB by default). 0 restores the default.
         */
        public Builder maxRequestBytesInFlight(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("max request bytes in flight must be >= 0: " + bytes);
            }
            this.grpc = new ServerConfig.Grpc(grpc.keepAliveMinTime(), grpc.keepAliveInterval(), grpc.keepAliveTimeout(),
                    grpc.maxConcurrentStreams(), bytes);
            return this;
        }

        /**
         * etcd's {@code --auth-token}: {@code "simple"} (the default) or
         * {@code "jwt,sign-method=RS256,priv-key=key.pem,pub-key=pub.pem,ttl=10m"} — etcd's signed tokens
         * (sign methods RS/PS/ES/HS 256/384/512; with only {@code pub-key}, tokens are verified, never
         * issued). A bad value makes {@link EtcdServer#start()} fail with etcd's message.
         */
        public Builder authToken(String spec) {
            this.authToken = Objects.requireNonNull(spec);
            return this;
        }

        /** etcd's {@code --auth-token-ttl}: how long an unused simple token lives (default 300 s). */
        public Builder authTokenTtl(Duration ttl) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("auth token TTL must be positive: " + ttl);
            }
            this.authTokenTtlSeconds = Math.max(1, ttl.toSeconds());
            return this;
        }

        /**
         * etcd's {@code --bcrypt-cost}: the cost of the bcrypt hashes new passwords are stored as (default
         * 10, as etcd). Stored hashes are etcd's own format, so users keep their passwords across snapshots
         * moved between etcd and etcdj.
         *
         * @throws IllegalArgumentException outside bcrypt's range 4..31
         */
        public Builder bcryptCost(int cost) {
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("bcrypt cost must be between 4 and 31: " + cost);
            }
            this.bcryptCost = cost;
            return this;
        }

        /** etcd's {@code --cipher-suites}: the TLS cipher suites offered, by their IANA names (Go's names). */
        public Builder cipherSuites(List<String> suites) {
            this.cipherSuites = List.copyOf(suites);
            return this;
        }

        public Builder progressNotifyInterval(Duration d) {
            this.progressNotifyInterval = Objects.requireNonNull(d);
            return this;
        }

        /**
         * Serves the {@code https://} listen URLs with this certificate chain and private key, both PEM
         * (etcd's {@code --cert-file}, {@code --key-file}); the key may be PKCS#8, PKCS#1 RSA or SEC1 EC.
         * {@code http://} URLs stay plain text, as in etcd.
         */
        public Builder tls(Path certFile, Path keyFile) {
            this.certFile = Objects.requireNonNull(certFile);
            this.keyFile = Objects.requireNonNull(keyFile);
            return this;
        }

        /**
         * Verifies client certificates against this CA (PEM), etcd's {@code --trusted-ca-file}. As in
         * etcd 3.4, giving one already requires every TLS client to present a certificate. Needs {@link #tls}.
         */
        public Builder trustedCaFile(Path caFile) {
            this.trustedCaFile = Objects.requireNonNull(caFile);
            return this;
        }

        /**
         * etcd's {@code --client-cert-auth}: TLS clients must present a certificate, verified against the
         * {@link #trustedCaFile} or else the JDK's default trust store; and when auth is enabled, a call
         * without a token acts as the user named by its certificate's Common Name. Needs {@link #tls}.
         */
        public Builder clientCertAuth(boolean on) {
            this.clientCertAuth = on;
            return this;
        }

        /**
         * etcd's {@code --client-crl-file}: a client certificate chain holding a certificate whose serial
         * number this revocation list (PEM or DER) names fails the TLS handshake. As in etcd, the file is
         * read again for each connection (so it can be replaced while serving) and its signature and
         * issuer are not checked. Only matters where client certificates are required.
         */
        public Builder clientCrlFile(Path crl) {
            this.crlFile = Objects.requireNonNull(crl);
            return this;
        }

        /**
         * etcd's {@code --client-cert-allowed-hostname}: a client certificate must also be valid for this
         * host name or IP address (its SANs, by Go's rules; the Common Name is not looked at), or the TLS
         * handshake fails. Only matters where client certificates are required.
         */
        public Builder clientCertAllowedHostname(String hostname) {
            this.allowedHostname = Objects.requireNonNull(hostname);
            return this;
        }

        /**
         * etcd's {@code --auto-tls}: without {@link #tls} files, {@link EtcdServer#start()} makes a
         * self-signed certificate (ECDSA P-521, one year, the listen URLs' hosts as SANs, as etcd does) in
         * {@code <dataDir>/fixtures/client/cert.pem} and {@code key.pem}, or reuses the ones there, and
         * serves the {@code https://} URLs with it; no client certificate is asked for then (as in etcd,
         * the CA, client-cert-auth, CRL and host name settings are dropped). An in-memory server keeps the
         * certificate in memory. With {@link #tls} files given, this is ignored.
         */
        public Builder autoTls(boolean on) {
            this.autoTls = on;
            return this;
        }

        /**
         * Starts from an etcd snapshot file ({@code etcdctl snapshot save} of real etcd or etcdj, or a
         * bare bbolt backend) instead of an empty store: keys with their revisions, the compact
         * revision, leases, users, roles and auth state, as {@code etcdctl snapshot restore} keeps
         * them. The data dir must not hold a store yet (start fails otherwise); an in-memory server
         * restores into its temp dir. A SHA-256 trailer, when the file has one, must match.
         */
        public Builder restoreFrom(Path snapshot) {
            this.restoreFrom = Objects.requireNonNull(snapshot);
            return this;
        }

        public EtcdServer build() {
            if (!inMemory && dataDir == null) {
                dataDir = Path.of(name + ".etcd");
            }
            if (listen.isEmpty()) {
                throw new IllegalArgumentException("at least one listen client URL is required");
            }
            long transportCap = 2L * (maxRequestBytes + 512 * 1024);
            if (grpc.maxRequestBytesInFlight() > 0 && grpc.maxRequestBytesInFlight() < 2 * transportCap) {
                throw new IllegalArgumentException("max request bytes in flight " + grpc.maxRequestBytesInFlight()
                        + " cannot hold two of the largest requests the transport accepts (" + transportCap + " bytes each)");
            }
            if ((clientCertAuth || trustedCaFile != null) && certFile == null && !autoTls) {
                throw new IllegalArgumentException("client certificate auth needs the server's own certificate (tls)");
            }
            ServerConfig.Tls tls = null;
            if (certFile != null) {
                tls = new ServerConfig.Tls(certFile, keyFile, trustedCaFile, clientCertAuth, cipherSuites, crlFile,
                        allowedHostname, null);
            } else if (autoTls) {
                tls = new ServerConfig.Tls(null, null, null, false, cipherSuites, null, null,
                        new ServerConfig.AutoTls(inMemory ? null : dataDir.resolve("fixtures").resolve("client")));
            }
            return new EtcdServer(new ServerConfig(name, inMemory ? null : dataDir.resolve("rocksdb"), listen,
                    metricsUrls, advertise, peerUrls, maxTxnOps, maxRequestBytes, quotaBackendBytes,
                    autoCompactionRetention, progressNotifyInterval, tls, autoCompactionRevisions, grpc,
                    new ServerConfig.Auth(authToken, authTokenTtlSeconds, bcryptCost)), restoreFrom);
        }
    }
}
