package dev.etcdj.client.internal;

import dev.etcdj.client.AuthClient;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.ClusterClient;
import dev.etcdj.client.ElectionClient;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.LeaseClient;
import dev.etcdj.client.LockClient;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.WatchClient;
import dev.etcdj.client.internal.auth.AuthClientImpl;
import dev.etcdj.client.internal.cluster.ClusterClientImpl;
import dev.etcdj.client.internal.election.ElectionClientImpl;
import dev.etcdj.client.internal.election.LockClientImpl;
import dev.etcdj.client.internal.lease.LeaseClientImpl;
import dev.etcdj.client.internal.maintenance.MaintenanceClientImpl;
import dev.etcdj.client.internal.watch.WatchClientImpl;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** The client's implementation; unsupported API, may change at any time. */
public final class DefaultEtcdClient implements EtcdClient {

    private final ClientConfig config;
    private final GrpcTransport transport;
    private final KvClientImpl kv;
    // The others are made on first use: a one-shot command that reads a key never loads them.
    private final Lazy<LeaseClientImpl> lease;
    private final Lazy<WatchClientImpl> watch;
    private final Lazy<ClusterClient> cluster;
    private final Lazy<MaintenanceClient> maintenance;
    private final Lazy<AuthClient> auth;
    private final Lazy<LockClient> lock;
    private final Lazy<ElectionClient> election;
    private final EndpointSync endpointSync;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DefaultEtcdClient(ClientConfig config, GrpcTransport transport) {
        this.config = config;
        this.transport = transport;
        this.kv = new KvClientImpl(transport);
        this.lease = new Lazy<>(() -> new LeaseClientImpl(transport));
        this.watch = new Lazy<>(() -> new WatchClientImpl(transport, config.coalesceWatches()));
        this.cluster = new Lazy<>(() -> new ClusterClientImpl(transport));
        this.maintenance = new Lazy<>(() -> new MaintenanceClientImpl(transport));
        this.auth = new Lazy<>(() -> new AuthClientImpl(transport));
        this.lock = new Lazy<>(() -> new LockClientImpl(transport));
        this.election = new Lazy<>(() -> new ElectionClientImpl(transport));
        this.endpointSync = new EndpointSync(transport, cluster, config.discovery());
    }

    public static EtcdClient create(ClientConfig config) {
        GrpcTransport transport = new GrpcTransport(config);
        DefaultEtcdClient client = new DefaultEtcdClient(config, transport);
        transport.followConnections(client);
        if (config.rejectOldCluster()) {
            try {
                ClusterVersions.requireAtLeast32(transport, config.dialTimeout());
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        client.endpointSync.start(config.autoSyncInterval());
        return client;
    }

    @Override
    public ClientConfig config() {
        return config;
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLContext> sslContext() {
        return config.tls().map(dev.etcdj.client.internal.tls.JsseContexts::of);
    }

    @Override
    public KvClient kv() {
        return kv;
    }

    @Override
    public LeaseClient lease() {
        return lease.get();
    }

    @Override
    public WatchClient watch() {
        return watch.get();
    }

    @Override
    public ClusterClient cluster() {
        return cluster.get();
    }

    @Override
    public MaintenanceClient maintenance() {
        return maintenance.get();
    }

    @Override
    public AuthClient auth() {
        return auth.get();
    }

    @Override
    public LockClient lock() {
        return lock.get();
    }

    @Override
    public ElectionClient election() {
        return election.get();
    }

    @Override
    public List<String> endpoints() {
        return transport.endpoints();
    }

    @Override
    public void setEndpoints(List<String> endpoints) {
        transport.setEndpoints(List.copyOf(endpoints));
    }

    @Override
    public CompletableFuture<List<String>> sync() {
        return endpointSync.sync();
    }

    /** The transport every sub-client shares; for the internal packages. */
    public Transport transport() {
        return transport;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        endpointSync.close();
        // Streams first, while the callback executor still runs their terminal callbacks (onClosed).
        WatchClientImpl w = watch.ifMade();
        if (w != null) {
            w.close();
        }
        LeaseClientImpl l = lease.ifMade();
        if (l != null) {
            l.close();
        }
        transport.close();
    }
}
