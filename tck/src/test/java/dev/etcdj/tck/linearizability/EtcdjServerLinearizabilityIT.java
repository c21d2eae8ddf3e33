package dev.etcdj.tck.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.testing.EtcdjServerProcess;
import dev.etcdj.testing.FaultProxy;
import dev.etcdj.testing.linearizability.HistoryRecorder;
import dev.etcdj.testing.linearizability.WatchLog;
import java.time.Duration;
import java.util.List;

/**
 * Our server in its own JVM, behind a fault proxy: kill -9 and restart on the same data, dropped
 * connections, a full and a one-way partition, a slow link, with compactions in between. The
 * checks are {@link FaultRunContract}'s.
 */
class EtcdjServerLinearizabilityIT extends FaultRunContract {
    @Override
    FaultRun.Summary runFaults(HistoryRecorder history, WatchLog watches) throws Exception {
        FaultRun.Summary summary;
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
        return summary;
    }
}
