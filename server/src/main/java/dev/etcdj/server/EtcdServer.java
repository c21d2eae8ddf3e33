package dev.etcdj.server;

import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.rpc.GrpcListeners;
import dev.etcdj.server.internal.snapshot.EtcdImport;
import dev.etcdj.server.internal.snapshot.SnapshotRestore;
import dev.etcdj.server.internal.storage.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
    private final Path restoreFrom;
    private Path restoredTemp;
    private final Object lifecycle = new Object();
    private ServerCore core;
    private GrpcListeners network;
    private volatile List<String> endpoints = List.of();
    private volatile List<String> advertised = List.of();
    private boolean started;
    private boolean closed;

    private EtcdServer(ServerConfig config, Path restoreFrom) {
        this.config = config;
        this.restoreFrom = restoreFrom;
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
            try {
                core = new ServerCore(restoreFrom == null ? config : restore());
                core.start();
                network = GrpcListeners.start(core, config, () -> advertised);
                endpoints = network.endpoints();
                advertised = config.advertiseClientUrls().isEmpty() ? endpoints : config.advertiseClientUrls();
                started = true;
            } catch (RuntimeException e) {
                shutdown();
                throw e;
            }
        }
    }

    /**
     * Loads {@link Builder#restoreFrom} into a new store: the data dir's, which must not exist yet,
     * or a temp dir for an in-memory server. The member gets the id etcdctl's restore would give it.
     */
    private ServerConfig restore() {
        Path rocks = config.dataDir();
        if (rocks == null) {
            try {
                restoredTemp = java.nio.file.Files.createTempDirectory("etcdj-restored-");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            rocks = restoredTemp.resolve("data").resolve("rocksdb");
        }
        Path dataDir = rocks.getParent();
        if (java.nio.file.Files.exists(rocks)) {
            throw new IllegalStateException("cannot restore " + restoreFrom + ": data-dir \"" + dataDir + "\" exists");
        }
        try {
            if (!java.nio.file.Files.exists(restoreFrom)) {
                throw new SnapshotException("open " + restoreFrom + ": no such file or directory");
            }
            if (dev.etcdj.server.internal.snapshot.SnapshotFile.hasTrailer(java.nio.file.Files.size(restoreFrom))) {
                dev.etcdj.server.internal.snapshot.SnapshotFile.verify(restoreFrom, false);
            }
            long member = SnapshotRestore.memberId(config.peerUrls(), "etcd-cluster");
            Path staging = dataDir.resolveSibling(dataDir.getFileName() + ".restoring");
            Backend.deleteRecursively(staging);
            SnapshotRestore.load(restoreFrom, staging,
                    new EtcdImport.Identity(member, SnapshotRestore.clusterId(List.of(member)), config.peerUrls()));
            java.nio.file.Files.createDirectories(dataDir);
            java.nio.file.Files.move(staging.resolve("rocksdb"), rocks, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Backend.deleteRecursively(staging);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot restore " + restoreFrom + ": " + e.getMessage(), e);
        } catch (SnapshotException e) {
            throw new IllegalStateException("cannot restore " + restoreFrom + ": " + e.getMessage(), e);
        }
        return new ServerConfig(config.name(), rocks, config.listenClientUrls(), config.advertiseClientUrls(),
                config.peerUrls(), config.maxTxnOps(), config.maxRequestBytes(), config.quotaBackendBytes(),
                config.autoCompactionRetention(), config.progressNotifyInterval(), config.tls());
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
        if (restoredTemp != null) {
            Backend.deleteRecursively(restoredTemp);
            restoredTemp = null;
        }
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
        private Path certFile;
        private Path keyFile;
        private Path trustedCaFile;
        private boolean clientCertAuth;
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
         * Starts from an etcd snapshot file ({@code etcdctl snapshot save} of real etcd or etcdj, or a
         * bare bbolt backend) instead of an empty store: keys with their revisions, the compact
         * revision, leases, users, roles and auth state, as {@code etcdctl snapshot restore} keeps
         * them. The data dir must not exist yet (start fails otherwise); an in-memory server restores
         * into its temp dir. A SHA-256 trailer, when the file has one, must match.
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
            if ((clientCertAuth || trustedCaFile != null) && certFile == null) {
                throw new IllegalArgumentException("client certificate auth needs the server's own certificate (tls)");
            }
            ServerConfig.Tls tls = certFile == null ? null : new ServerConfig.Tls(certFile, keyFile, trustedCaFile, clientCertAuth);
            return new EtcdServer(new ServerConfig(name, inMemory ? null : dataDir.resolve("rocksdb"), listen,
                    advertise, peerUrls, maxTxnOps, maxRequestBytes, quotaBackendBytes,
                    autoCompactionRetention, progressNotifyInterval, tls), restoreFrom);
        }
    }
}
