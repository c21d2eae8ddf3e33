package dev.etcdj.tck.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.testing.linearizability.HistoryRecorder;
import dev.etcdj.testing.linearizability.LinearizabilityExtension;
import dev.etcdj.testing.linearizability.WatchLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run of faults against one target while clients read, write and watch: after the test the
 * extension checks the history for linearizability and the watch streams for order and gaps, and
 * once the class is done the run's figures and checks are reported. The subclass says which target
 * and which faults; {@code -Detcdj.soak.seconds=300} makes it a soak.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultRunContract {
    @RegisterExtension
    final LinearizabilityExtension lin = LinearizabilityExtension.create();

    private FaultRun.Summary summary;

    /** The report's {@code target/linearizability-<target>.txt}: the IT's name without its suffix. */
    private String target() {
        return getClass().getSimpleName().replace("LinearizabilityIT", "");
    }

    /** Starts the target, runs the faults against it with {@link FaultRun#run}, and stops it. */
    abstract FaultRun.Summary runFaults(HistoryRecorder history, WatchLog watches) throws Exception;

    @Test
    void historyAndWatchesHoldThroughTheFaults(HistoryRecorder history, WatchLog watches) throws Exception {
        summary = runFaults(history, watches);
        assertThat(summary.faults()).as("faults injected").isNotEmpty();
        assertThat(summary.ok()).as("operations that succeeded").isGreaterThan(200);
    }

    @AfterAll
    void report() {
        Faults.report(target(), summary, lin);
    }
}
