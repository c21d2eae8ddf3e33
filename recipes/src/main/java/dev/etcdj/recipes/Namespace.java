package dev.etcdj.recipes;

import dev.etcdj.client.AuthClient;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.ClusterClient;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.ElectionClient;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.LeaseClient;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.LockClient;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchClient;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Views of a client confined to the keys under a prefix, like Go's {@code clientv3/namespace}: every
 * key sent is prefixed, every key received loses the prefix again. Ranges stay inside the
 * namespace: a prefix or from-key range (etcd's "\x00" end) ends at the namespace's end, so
 * {@code get("", prefix())} is every key of the namespace and nothing else. Compares and ops of
 * transactions (nested ones too), watch events and previous key-values are mapped the same way.
 * <pre>{@code
 * EtcdClient app = Namespace.client(client, "app1/");
 * app.kv().put("config", "x");          // writes "app1/config"
 * Session s = Session.create(app);       // recipes work inside a namespace too
 * }</pre>
 * A key may not be empty unless it starts a range: the empty key alone would be the prefix itself.
 */
public final class Namespace {

    private Namespace() {}

    /**
     * A view of {@code client} whose KV, watch and lease clients work inside the namespace (cluster,
     * maintenance and auth are the client's own). Closing the view closes nothing: the client
     * stays its builder's to close.
     */
    public static EtcdClient client(EtcdClient client, String prefix) {
        return client(client, Bytes.of(prefix));
    }

    public static EtcdClient client(EtcdClient client, Bytes prefix) {
        return new NamespacedClient(Objects.requireNonNull(client, "client"), new KeyPrefix(prefix), false);
    }

    public static KvClient kv(KvClient kv, String prefix) {
        return kv(kv, Bytes.of(prefix));
    }

    public static KvClient kv(KvClient kv, Bytes prefix) {
        return new NamespacedKv(Objects.requireNonNull(kv, "kv"), new KeyPrefix(prefix));
    }

    public static WatchClient watch(WatchClient watch, String prefix) {
        return watch(watch, Bytes.of(prefix));
    }

    public static WatchClient watch(WatchClient watch, Bytes prefix) {
        return new NamespacedWatch(Objects.requireNonNull(watch, "watch"), new KeyPrefix(prefix));
    }

    /** Leases are global; only the keys a lease lists are confined (and stripped) to the namespace. */
    public static LeaseClient lease(LeaseClient lease, String prefix) {
        return lease(lease, Bytes.of(prefix));
    }

    public static LeaseClient lease(LeaseClient lease, Bytes prefix) {
        return new NamespacedLease(Objects.requireNonNull(lease, "lease"), new KeyPrefix(prefix));
    }

    /** Runs a mapping that may reject the request; a rejection fails the future rather than throwing. */
    private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (EtcdException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static final class NamespacedKv extends Wrapper.Namespaced<KvClient> implements KvClient {
        NamespacedKv(KvClient kv, KeyPrefix pfx) {
            super(kv, pfx, NamespacedKv::new);
        }

        // put/get/delete and txn() are KvClient's defaults over execute and commit.

        @Override
        public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
            return inner.compact(revision, physical);
        }

        @Override
        public CompletableFuture<OpResponse> execute(Op op) {
            return guarded(() -> inner.execute(pfx.map(op))).thenApply(pfx::strip);
        }

        @Override
        public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
            return guarded(() -> inner.commit(pfx.map(txn))).thenApply(pfx::strip);
        }
    }

    private static final class NamespacedWatch extends Wrapper.Namespaced<WatchClient> implements WatchClient {
        NamespacedWatch(WatchClient watch, KeyPrefix pfx) {
            super(watch, pfx, NamespacedWatch::new);
        }

        @Override
        public Watcher watch(WatchSpec spec, WatchListener listener) {
            Objects.requireNonNull(listener, "listener");
            Watcher watcher = inner.watch(pfx.map(spec), new WatchListener() {
                @Override
                public void onNext(WatchResponse response) {
                    listener.onNext(pfx.strip(response));
                }

                @Override
                public void onError(EtcdException error) {
                    listener.onError(error);
                }

                @Override
                public void onClosed() {
                    listener.onClosed();
                }
            });
            return new Watcher() {
                @Override
                public WatchSpec spec() {
                    return spec;
                }

                @Override
                public long lastRevision() {
                    return watcher.lastRevision();
                }

                @Override
                public CompletableFuture<Void> created() {
                    return watcher.created();
                }

                @Override
                public CompletableFuture<Void> terminated() {
                    return watcher.terminated();
                }

                @Override
                public void close() {
                    watcher.close();
                }
            };
        }

        @Override
        public void requestProgress() {
            inner.requestProgress();
        }
    }

    private static final class NamespacedLease extends Wrapper.Namespaced<LeaseClient> implements LeaseClient {
        NamespacedLease(LeaseClient lease, KeyPrefix pfx) {
            super(lease, pfx, NamespacedLease::new);
        }

        @Override
        public CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds) {
            return inner.grant(ttlSeconds);
        }

        @Override
        public CompletableFuture<LeaseGrantResponse> grant(long ttlSeconds, long leaseId) {
            return inner.grant(ttlSeconds, leaseId);
        }

        @Override
        public CompletableFuture<LeaseRevokeResponse> revoke(long leaseId) {
            return inner.revoke(leaseId);
        }

        @Override
        public CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(long leaseId) {
            return inner.keepAliveOnce(leaseId);
        }

        @Override
        public KeepAlive keepAlive(long leaseId, KeepAliveListener listener) {
            return inner.keepAlive(leaseId, listener);
        }

        @Override
        public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(long leaseId, boolean withKeys) {
            return inner.timeToLive(leaseId, withKeys).thenApply(pfx::strip);
        }

        @Override
        public CompletableFuture<LeaseListResponse> leases() {
            return inner.leases();
        }
    }

    /**
     * The client in a namespace: its KV, watch, lease, lock and election are the namespaced views of
     * the client's (the record's accessors serve them), the rest is the client's. Closing it closes
     * the client only when it {@code owns} it (a {@link #forEndpoint} client); otherwise the client
     * belongs to whoever built it.
     */
    private record NamespacedClient(EtcdClient client, KeyPrefix pfx, boolean owns, KvClient kv, WatchClient watch,
            LeaseClient lease, LockClient lock, ElectionClient election) implements EtcdClient {

        NamespacedClient(EtcdClient client, KeyPrefix pfx, boolean owns) {
            this(client, pfx, owns, new NamespacedKv(client.kv(), pfx), new NamespacedWatch(client.watch(), pfx),
                    new NamespacedLease(client.lease(), pfx), new NamespacedServices.Locks(client.lock(), pfx),
                    new NamespacedServices.Elections(client.election(), pfx));
        }

        @Override
        public ClientConfig config() {
            return client.config();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLContext> sslContext() {
            return client.sslContext();
        }

        @Override
        public ClusterClient cluster() {
            return client.cluster();
        }

        @Override
        public MaintenanceClient maintenance() {
            return client.maintenance();
        }

        @Override
        public AuthClient auth() {
            return client.auth();
        }

        @Override
        public List<String> endpoints() {
            return client.endpoints();
        }

        @Override
        public void setEndpoints(List<String> endpoints) {
            client.setEndpoints(endpoints);
        }

        @Override
        public CompletableFuture<List<String>> sync() {
            return client.sync();
        }

        /** The new client of one member, in this namespace; closing the view returned closes that client. */
        @Override
        public EtcdClient forEndpoint(String endpoint) {
            return new NamespacedClient(client.forEndpoint(endpoint), pfx, true);
        }

        @Override
        public void close() {
            if (owns) {
                client.close();
            }
        }
    }
}
