package dev.etcdj.tck.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.testing.EtcdjServerProcess;
import dev.etcdj.testing.FaultProxy;
import dev.etcdj.testing.linearizability.HistoryRecorder;
import dev.etcdj.testing.linearizability.LinearizabilityExtension;
import dev.etcdj.testing.linearizability.WatchLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our server in its own JVM, behind a fault proxy: kill -9 and restart on the same data, dropped
 * connections, a full and a one-way partition, a slow link, with compactions in between. The
 * extension checks the history for linearizability and the watch streams for order and gaps.
 * {@code -Detcdj.soak.seconds=300} makes it a soak.
 */
class EtcdjServerLinearizabilityIT {
    @RegisterExtension
    static final LinearizabilityExtension lin = LinearizabilityExtension.create();

    private static FaultRun.Summary summary;

    @Test
    void killNineRestartsAndNetworkFaults(HistoryRecorder history, WatchLog watches) throws Exception {
        try (EtcdjServerProcess server = EtcdjServerProcess.create()) {
            server.start();
            try (FaultProxy proxy = FaultProxy.start(server.endpoint())) {
                List<FaultRun.Fault> faults = List.of(
                        Faults.of("kill-9", server::kill, server::start),
                        Faults.of("drop-connections", proxy::dropConnections, () -> { }),
                        Faults.of("partition", () -> proxy.blackhole(true), () -> proxy.blackhole(false)),
                        Faults.of("one-way-partition", () -> proxy.blackhole(FaultProxy.Direction.TO_CLIENT),
                                () -> proxy.blackhole(false)),
                        Faults.of("kill-9", server::kill, server::start),
                        Faults.of("delay-200ms", () -> proxy.delay(Duration.ofMillis(200)), () -> proxy.delay(Duration.ZERO)));
                summary = FaultRun.run(() -> List.of(proxy.endpoint()), faults, FaultRun.duration(20),
                        Long.getLong("etcdj.lin.seed", 17), history, watches);
            }
        }
        assertThat(summary.faults()).containsKey("kill-9");
        assertThat(summary.ok()).isGreaterThan(200);
    }

    @AfterAll
    static void report() {
        Faults.report("etcdj-server-process", summary, lin);
    }
}
