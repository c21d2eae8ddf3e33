package dev.etcdj.bench.jmh;

import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.limit;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.prevKv;
import static dev.etcdj.client.Options.revision;
import static dev.etcdj.client.Options.serializable;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.Op;
import dev.etcdj.client.WatchSpec;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Option resolution on the request path: what {@code kv.get(key, options...)} does before anything
 * goes on the wire. Run with {@code -prof gc} to see the bytes allocated per call.
 */
public class OptionsBenchmark extends PerCallBenchmark {

    private final Bytes key = Bytes.of("/registry/pods/default/nginx-7c5ddbdf54-abcde");
    private final Bytes value = Bytes.wrap(new byte[256]);

    @Benchmark
    public Op.Get getPlain() {
        return Op.get(key);
    }

    @Benchmark
    public Op.Get getStringKey() {
        return Op.get("/registry/pods/default/nginx-7c5ddbdf54-abcde");
    }

    @Benchmark
    public Op.Get getPrefixSerializableLimit() {
        return Op.get(key, prefix(), serializable(), limit(10));
    }

    @Benchmark
    public Op.Put putLeasePrevKv() {
        return Op.put(key, value, lease(0x1234L), prevKv());
    }

    @Benchmark
    public Op.Txn txnCasBuild() {
        return Op.txn().when(Cmp.modRevision(key).equalTo(42)).then(Op.put(key, value)).orElse(Op.get(key));
    }

    @Benchmark
    public WatchSpec watchSpec() {
        return WatchSpec.of(key, prefix(), prevKv(), revision(5));
    }
}
