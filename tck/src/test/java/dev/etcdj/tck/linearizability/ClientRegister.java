package dev.etcdj.tck.linearizability;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.testing.linearizability.RegisterClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/** The register calls through our client: linearizable get, put, and a txn compare-and-set. */
final class ClientRegister implements RegisterClient {
    private final EtcdClient client;
    private final KvClient kv;

    ClientRegister(List<String> endpoints, Duration requestTimeout) {
        this.client = EtcdClient.builder().endpoints(endpoints)
                .dialTimeout(Duration.ofSeconds(2)).requestTimeout(requestTimeout).build();
        this.kv = client.kv();
    }

    @Override
    public Read read(String key) throws Exception {
        GetResponse r = join(kv.get(key));
        return new Read(r.kvs().isEmpty() ? null : r.kvs().get(0).value().toStringUtf8(), r.header().revision());
    }

    @Override
    public long write(String key, String value) throws Exception {
        return join(kv.put(key, value)).header().revision();
    }

    @Override
    public Cas cas(String key, String expected, String value) throws Exception {
        Cmp cmp = expected == null ? Cmp.version(key).equalTo(0) : Cmp.value(key).equalTo(expected);
        TxnResponse r = join(kv.txn().when(cmp).then(Op.put(key, value)).commit());
        return new Cas(r.succeeded(), r.header().revision());
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
