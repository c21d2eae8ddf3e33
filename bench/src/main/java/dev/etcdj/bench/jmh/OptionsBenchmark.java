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
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Option resolution on the request path: what {@code kv.get(key, options...)} does before anything
 * goes on the wire. Run with {@code -prof gc} to see the bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OptionsBenchmark {

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
