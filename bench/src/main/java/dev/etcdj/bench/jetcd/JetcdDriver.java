package dev.etcdj.bench.jetcd;

import dev.etcdj.bench.driver.Driver;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One jetcd {@link Client} (one gRPC channel), used the way its documentation shows. */
final class JetcdDriver implements Driver {

    private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

    private final Client client;
    private final KV kv;

    private JetcdDriver(Client client) {
        this.client = client;
        this.kv = client.getKVClient();
    }

    static JetcdDriver open(List<String> endpoints) {
        return new JetcdDriver(Client.builder().endpoints(endpoints.stream().map(JetcdDriver::withScheme)
                .toArray(String[]::new)).build());
    }

    private static String withScheme(String endpoint) {
        return endpoint.contains("://") ? endpoint : "http://" + endpoint;
    }

    @Override
    public CompletableFuture<?> put(byte[] key, byte[] value) {
        return kv.put(ByteSequence.from(key), ByteSequence.from(value));
    }

    @Override
    public CompletableFuture<?> get(byte[] key, boolean serializable) {
        return serializable ? kv.get(ByteSequence.from(key), SERIALIZABLE) : kv.get(ByteSequence.from(key));
    }

    @Override
    public CompletableFuture<?> txnPut(byte[] key, byte[] value) {
        return kv.txn().Then(Op.put(ByteSequence.from(key), ByteSequence.from(value), PutOption.DEFAULT)).commit();
    }

    @Override
    public CompletableFuture<?> deletePrefix(byte[] prefix) {
        ByteSequence p = ByteSequence.from(prefix);
        return kv.delete(p, DeleteOption.builder().isPrefix(true).build());
    }

    @Override
    public CompletableFuture<Long> grantLease(long ttlSeconds) {
        return client.getLeaseClient().grant(ttlSeconds).thenApply(r -> r.getID());
    }

    @Override
    public CompletableFuture<?> revokeLease(long leaseId) {
        return client.getLeaseClient().revoke(leaseId);
    }

    @Override
    public CompletableFuture<?> keepAliveOnce(long leaseId) {
        return client.getLeaseClient().keepAliveOnce(leaseId);
    }

    @Override
    public AutoCloseable keepAlive(long leaseId, KeepAliveSink sink) {
        return client.getLeaseClient().keepAlive(leaseId, new StreamObserver<LeaseKeepAliveResponse>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                sink.onRenewed();
            }

            @Override
            public void onError(Throwable t) {
                sink.onEnded("error: " + t);
            }

            @Override
            public void onCompleted() {
                sink.onEnded("completed");
            }
        });
    }

    @Override
    public AutoCloseable watchPrefix(byte[] prefix, WatchSink sink) {
        ByteSequence p = ByteSequence.from(prefix);
        WatchOption option = WatchOption.builder().isPrefix(true).build();
        return client.getWatchClient().watch(p, option, new Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                for (WatchEvent e : response.getEvents()) {
                    if (e.getEventType() == WatchEvent.EventType.PUT) {
                        byte[] v = e.getKeyValue().getValue().getBytes();
                        sink.onPut(e.getKeyValue().getKey().getBytes(), new ValueReader() {
                            @Override
                            public int size() {
                                return v.length;
                            }

                            @Override
                            public byte byteAt(int index) {
                                return v[index];
                            }
                        });
                    }
                }
            }

            @Override
            public void onError(Throwable throwable) {
                sink.onError(throwable);
            }

            @Override
            public void onCompleted() {}
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
