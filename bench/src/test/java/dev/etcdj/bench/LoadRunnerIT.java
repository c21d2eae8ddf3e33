package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.bench.driver.Drivers;
import dev.etcdj.bench.servers.EtcdProcess;
import dev.etcdj.bench.servers.Target;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every workload, small, against a real etcd through each client library: the engine counts what
 * it sent and what arrived. Loads are tiny; this checks the engine, not the clients' speed.
 */
class LoadRunnerIT {

    private static Target etcd;
    private static LoadRunner runner;

    @BeforeAll
    static void start() {
        // Fails (never skips) without etcd: CI installs it, and a skipped engine test proves nothing.
        etcd = EtcdProcess.start(EtcdProcess.DEFAULT_BINARY);
        runner = new LoadRunner(null);
    }

    /** Null resources are skipped; the runner closes first, and etcd is stopped even if that throws. */
    @AfterAll
    @SuppressWarnings("try") // the resources are only closed, never used in the block
    static void stop() {
        try (Target e = etcd; LoadRunner r = runner) {
            // closing them is the whole point
        }
    }

    private static LoadConfig.Builder config(Workload w) {
        return Defaults.of(w).endpoints(etcd.endpoints()).progress(false).prefix("it-" + w.cliName() + "/");
    }

    /**
     * Runs workload {@code w} through {@code client} with the test's config shaped by {@code shape},
     * and requires that no request failed.
     */
    private static Result runWithoutErrors(String client, Workload w, UnaryOperator<LoadConfig.Builder> shape)
            throws InterruptedException {
        Result r = runner.run(Drivers.byName(client), shape.apply(config(w)).build(), "etcd");
        assertThat(r.errors()).as(w + " errors " + r.errorKinds()).isZero();
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {Drivers.ETCDJ, Drivers.JETCD})
    void keyValueWorkloadsSendExactlyTheTotal(String client) throws InterruptedException {
        for (Workload w : List.of(Workload.PUT, Workload.RANGE, Workload.TXN_PUT, Workload.MIXED)) {
            Result r = runWithoutErrors(client, w, b -> b.total(300).clients(4).keySpace(50));
            assertThat(r.ops()).as(w.cliName()).isEqualTo(300);
            assertThat(r.latency().count()).isEqualTo(300);
            assertThat(r.latency().p50()).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Drivers.ETCDJ, Drivers.JETCD})
    void everyWatcherSeesEveryPut(String client) throws InterruptedException {
        Result r = runWithoutErrors(client, Workload.WATCH, b -> b.total(200).watchers(5).clients(2).conns(2));
        assertThat(r.metrics().get("events").longValue()).isEqualTo(1000);
        assertThat(r.metrics().get("events_missing").longValue()).isZero();
        assertThat(r.latencies().get("event").count()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {Drivers.ETCDJ, Drivers.JETCD})
    void leasesStayAliveWhileRenewed(String client) throws InterruptedException {
        Result r = runWithoutErrors(client, Workload.LEASE_KEEPALIVE, b -> b.total(300).watchers(20).clients(4));
        assertThat(r.ops()).isEqualTo(300);
        assertThat(r.metrics().get("keepalives_ended").longValue()).isZero();
        assertThat(r.latencies().get("grant").count()).isEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {Drivers.ETCDJ, Drivers.JETCD})
    void aSlowWatcherStillGetsEveryEvent(String client) throws InterruptedException {
        Result r = runWithoutErrors(client, Workload.WATCH_SLOW, b -> b.total(500).valueSize(256));
        assertThat(r.metrics().get("events").longValue()).isEqualTo(500);
        assertThat(r.metrics().get("events_missing").longValue()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {Drivers.ETCDJ, Drivers.JETCD})
    void watchHeapIsMeasured(String client) throws InterruptedException {
        Result r = runWithoutErrors(client, Workload.WATCH_HEAP, b -> b.watchers(200));
        assertThat(r.ops()).isEqualTo(200);
        assertThat(r.metrics()).containsKeys("heap_mb", "bytes_per_watcher", "setup_s");
    }
}
