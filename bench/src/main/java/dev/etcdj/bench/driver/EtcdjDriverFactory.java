package dev.etcdj.bench.driver;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.ClientBuilder;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Drives etcdj's own client: one {@link EtcdClient} per driver; as "etcdj-direct" with
 * {@code completeOnNetworkThreads(true)}, the way jetcd (on Vert.x) completes its futures; as
 * "etcdj-uncoalesced" with {@code coalesceWatches(false)}, each watch on a server watch of its own
 * as jetcd's and Go's are, to show what coalescing adds.
 */
public final class EtcdjDriverFactory implements DriverFactory {

    private final String name;
    private final UnaryOperator<ClientBuilder> settings;

    public EtcdjDriverFactory() {
        this(Drivers.ETCDJ, b -> b);
    }

    EtcdjDriverFactory(String name, UnaryOperator<ClientBuilder> settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Driver open(List<String> endpoints) {
        return new EtcdjDriver(settings.apply(EtcdClient.builder().endpoints(endpoints)).build());
    }

    static final class EtcdjDriver implements Driver {
        private final EtcdClient client;
        private final KvClient kv;

        EtcdjDriver(EtcdClient client) {
            this.client = client;
            this.kv = client.kv();
        }

        // The engine never changes its arrays after handing them over, so wrapping without a copy is
        // what a careful application would do too.
        @Override
        public CompletableFuture<?> put(byte[] key, byte[] value) {
            return kv.put(Bytes.wrap(key), Bytes.wrap(value));
        }

        @Override
        public CompletableFuture<?> get(byte[] key, boolean serializable) {
            return serializable ? kv.get(Bytes.wrap(key), Options.serializable()) : kv.get(Bytes.wrap(key));
        }

        @Override
        public CompletableFuture<?> txnPut(byte[] key, byte[] value) {
            return kv.txn().then(Op.put(Bytes.wrap(key), Bytes.wrap(value))).commit();
        }

        @Override
        public CompletableFuture<?> deletePrefix(byte[] prefix) {
            return kv.delete(Bytes.wrap(prefix), Options.prefix());
        }

        @Override
        public CompletableFuture<Long> grantLease(long ttlSeconds) {
            return client.lease().grant(ttlSeconds).thenApply(r -> r.leaseId());
        }

        @Override
        public CompletableFuture<?> revokeLease(long leaseId) {
            return client.lease().revoke(leaseId);
        }

        @Override
        public CompletableFuture<?> keepAliveOnce(long leaseId) {
            return client.lease().keepAliveOnce(leaseId);
        }

        @Override
        public AutoCloseable keepAlive(long leaseId, KeepAliveSink sink) {
            KeepAlive ka = client.lease().keepAlive(leaseId, new KeepAliveListener() {
                @Override
                public void onRenewed(LeaseKeepAliveResponse response) {
                    sink.onRenewed();
                }

                @Override
                public void onExpired(long id) {
                    sink.onEnded("expired");
                }

                @Override
                public void onError(EtcdException error) {
                    sink.onEnded("error: " + error.getMessage());
                }
            });
            return ka::close;
        }

        @Override
        public AutoCloseable watchPrefix(byte[] prefix, WatchSink sink) {
            WatchListener listener = new WatchListener() {
                @Override
                public void onNext(WatchResponse response) {
                    for (WatchEvent e : response.events()) {
                        if (e.type() == WatchEvent.Type.PUT) {
                            Bytes v = e.kv().value();
                            sink.onPut(e.kv().key().unsafeArray(), new ValueReader() {
                                @Override
                                public int size() {
                                    return v.size();
                                }

                                @Override
                                public byte byteAt(int index) {
                                    return v.byteAt(index);
                                }
                            });
                        }
                    }
                }

                @Override
                public void onError(EtcdException error) {
                    sink.onError(error);
                }
            };
            return client.watch().watch(Bytes.wrap(prefix), listener, Options.prefix())::close;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
