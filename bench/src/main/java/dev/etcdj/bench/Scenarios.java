package dev.etcdj.bench;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The comparison matrix: each row a workload with parameters chosen to answer one question, sized
 * to finish in seconds on a shared 2-core machine. {@code scale} multiplies request counts.
 */
public final class Scenarios {

    private Scenarios() {}

    public record Scenario(String name, String question, Workload workload, UnaryOperator<LoadConfig.Builder> params) {
        public LoadConfig config(List<String> endpoints, double scale) {
            LoadConfig.Builder b = params.apply(Defaults.of(workload)).endpoints(endpoints).progress(false);
            LoadConfig base = b.build();
            if (base.total() > 1 && workload != Workload.WATCH_HEAP) {
                b.total(Math.max(100, Math.round(base.total() * scale)));
                // The JVM clients need their hot paths compiled before they are measured; the same
                // warmup goes to the Go client, which does not need it, for symmetry.
                b.warmup(2_000);
            }
            return b.prefix("bench-" + name + "/").build();
        }
    }

    public static List<Scenario> all() {
        return List.of(
                new Scenario("put-1x1", "sequential put latency, 1 connection, 1 client", Workload.PUT,
                        b -> b.total(3_000).valueSize(256).keySpace(100_000).sequential(true)),
                new Scenario("get-1x1", "linearizable get latency, 1 connection, 1 client", Workload.RANGE,
                        b -> b.total(3_000).valueSize(256)),
                new Scenario("get-ser-1x1", "serializable get latency, 1 connection, 1 client", Workload.RANGE,
                        b -> b.total(3_000).valueSize(256).serializable(true)),
                new Scenario("put-1x1-wait", "sequential put latency, 1 client that waits on each call (future.get())",
                        Workload.PUT, b -> b.total(3_000).valueSize(256).keySpace(100_000).sequential(true).waiting(true)),
                new Scenario("get-1x1-wait", "linearizable get latency, 1 client that waits on each call (future.get())",
                        Workload.RANGE, b -> b.total(3_000).valueSize(256).waiting(true)),
                new Scenario("put-100c", "put throughput, 100 concurrent clients on 1 connection", Workload.PUT,
                        b -> b.total(20_000).clients(100).valueSize(256).keySpace(100_000)),
                new Scenario("get-ser-100c", "serializable get throughput, 100 clients on 1 connection", Workload.RANGE,
                        b -> b.total(30_000).clients(100).valueSize(256).keySpace(1_000).serializable(true)),
                new Scenario("put-100c-10conn", "put throughput, 100 clients over 10 connections", Workload.PUT,
                        b -> b.total(20_000).conns(10).clients(100).valueSize(256).keySpace(100_000)),
                new Scenario("txn-put-16c", "txn throughput, 16 clients", Workload.TXN_PUT,
                        b -> b.total(5_000).clients(16).valueSize(256).keySpace(10_000)),
                new Scenario("mixed-64c", "90% reads / 10% writes, 64 clients over 4 connections", Workload.MIXED,
                        b -> b.total(10_000).conns(4).clients(64).valueSize(256).keySpace(1_000)),
                new Scenario("watch-100w", "100 watchers, 4 writers: event throughput and latency", Workload.WATCH,
                        b -> b.total(2_000).clients(4).watchers(100)),
                new Scenario("watch-latency", "put-to-event latency at 100 puts/s, 10 watchers", Workload.WATCH_LATENCY,
                        b -> b.total(500)),
                new Scenario("lease-1000", "1000 leases kept alive; keepAliveOnce latency, 16 clients",
                        Workload.LEASE_KEEPALIVE, b -> b.total(5_000).clients(16).watchers(1_000)),
                new Scenario("watch-heap-10k", "heap of one client with 10,000 watchers", Workload.WATCH_HEAP,
                        b -> b.watchers(10_000)),
                new Scenario("watch-slow", "slow consumer: heap retained while 20,000 x 1 KiB events wait",
                        Workload.WATCH_SLOW, b -> b.total(20_000).clients(4).valueSize(1_024)));
    }
}
