package dev.etcdj.testing.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs small test classes through the JUnit launcher: the extension must pass good histories and fail bad ones. */
class LinearizabilityExtensionTest {

    /** An in-memory register: every call is atomic, so the workload's history is linearizable. */
    static final class AtomicRegister implements RegisterClient {
        private final ConcurrentHashMap<String, String> map;
        private final AtomicLong revision;
        private final boolean stale;

        AtomicRegister(ConcurrentHashMap<String, String> map, AtomicLong revision, boolean stale) {
            this.map = map;
            this.revision = revision;
            this.stale = stale;
        }

        @Override
        public synchronized Read read(String key) {
            synchronized (map) {
                return new Read(stale ? null : map.get(key), revision.get());
            }
        }

        @Override
        public long write(String key, String value) {
            synchronized (map) {
                map.put(key, value);
                return revision.incrementAndGet();
            }
        }

        @Override
        public Cas cas(String key, String expected, String value) {
            synchronized (map) {
                boolean holds = java.util.Objects.equals(map.get(key), expected);
                if (holds) {
                    map.put(key, value);
                    return new Cas(true, revision.incrementAndGet());
                }
                return new Cas(false, revision.get());
            }
        }
    }

    static void runWorkload(HistoryRecorder history, boolean stale) throws InterruptedException {
        ConcurrentHashMap<String, String> map = new ConcurrentHashMap<>();
        AtomicLong revision = new AtomicLong();
        // A stale register is driven by one client, every read of it stale: its history is
        // sequential, so the first read after a completed write of its key misses that write with
        // no concurrent call to explain it, and the checker proves it in a straight line. (Several
        // clients, one of them stale, left it to timing whether a stale read was provable, and under
        // load the search for the proof could run into the checker's bound and answer UNKNOWN.)
        int clients = stale ? 1 : 3;
        int ops = stale ? 300 : 2000;
        RegisterWorkload.Run run = RegisterWorkload.builder().clients(clients).seed(3).build()
                .start(p -> new AtomicRegister(map, revision, stale), history);
        dev.etcdj.testing.Await.until(Duration.ofSeconds(60), ops + " ops", () -> run.ops() >= ops);
        run.stop(Duration.ofSeconds(10));
    }

    static final List<CheckResult> results = new ArrayList<>();

    /** One workload for the launcher to run (one class at a time), on a register that answers stale reads or not. */
    abstract static class RegisterRun {
        @RegisterExtension
        static final LinearizabilityExtension lin = LinearizabilityExtension.create();

        abstract boolean stale();

        @Test
        void workload(HistoryRecorder history) throws InterruptedException {
            runWorkload(history, stale());
        }
    }

    static class GoodRegister extends RegisterRun {
        @Override
        boolean stale() {
            return false;
        }

        @org.junit.jupiter.api.AfterAll
        static void keep() {
            results.add(lin.lastResult());
        }
    }

    static class StaleRegister extends RegisterRun {
        @Override
        boolean stale() {
            return true;
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
        return listener.getSummary();
    }

    @Test
    void linearizableWorkloadPasses() {
        TestExecutionSummary summary = run(GoodRegister.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).opsChecked()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void staleReadsFailTheTestWithAWitness() {
        TestExecutionSummary summary = run(StaleRegister.class);
        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        Throwable failure = summary.getFailures().get(0).getException();
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("NOT_LINEARIZABLE").hasMessageContaining("no order places");
    }
}
