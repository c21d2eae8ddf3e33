package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class EtcdTargetExtensionIT {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd("--max-txn-ops=4");

    @Test
    void realEtcdTargetIsStartedBeforeTheTests() {
        EtcdTarget target = etcd.target();
        assertThat(target.name()).isEqualTo("etcd");
        assertThat(target.isRealEtcd()).isTrue();
        assertThat(EtcdHttp.healthy(target.endpoint(), Duration.ofSeconds(2))).isTrue();
        assertThat(etcd.target(EtcdProcess.class).isRunning()).isTrue();
    }

    // ---- lifecycle, checked by running small test classes with a fake target through the launcher ----

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clearEvents() {
        EVENTS.clear();
    }

    @Test
    void pluggedTargetIsStartedOnceAndClosedAfterAllIncludingNestedClasses() {
        TestExecutionSummary summary = run(FakeTargetTests.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
        assertThat(summary.getTotalFailureCount()).isZero();
        assertThat(EVENTS).containsExactly("start", "test", "test", "nested test", "close");
    }

    @Test
    void targetThatFailsToStartIsClosedAndTheClassFails() {
        TestExecutionSummary summary = run(FailingTargetTests.class);

        assertThat(summary.getTotalFailureCount()).isEqualTo(1);
        assertThat(summary.getTestsSucceededCount()).isZero();
        assertThat(EVENTS).containsExactly("start", "close");
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
        return listener.getSummary();
    }

    /** Records what the extension does to it. */
    static final class FakeTarget implements EtcdTarget {
        private final boolean failStart;

        FakeTarget(boolean failStart) {
            this.failStart = failStart;
        }

        @Override public String name() { return "fake"; }
        @Override public boolean isRealEtcd() { return false; }
        @Override public String endpoint() { return "http://127.0.0.1:1"; }
        @Override public List<String> endpoints() { return List.of(endpoint()); }
        @Override public void restart() { EVENTS.add("restart"); }
        @Override public void kill() { EVENTS.add("kill"); }
        @Override public void close() { EVENTS.add("close"); }

        @Override
        public void start() {
            EVENTS.add("start");
            if (failStart) {
                throw new EtcdProcessException("fake start failure");
            }
        }
    }

    static class FakeTargetTests {
        @RegisterExtension
        static final EtcdTargetExtension target = EtcdTargetExtension.of(() -> new FakeTarget(false));

        @Test
        void one() {
            assertThat(target.target().name()).isEqualTo("fake");
            EVENTS.add("test");
        }

        @Test
        void two() {
            EVENTS.add("test");
        }

        @Nested
        class Inner {
            @Test
            void sharesTheOuterTarget() {
                assertThat(target.target().name()).isEqualTo("fake");
                EVENTS.add("nested test");
            }
        }
    }

    static class FailingTargetTests {
        @RegisterExtension
        static final EtcdTargetExtension target = EtcdTargetExtension.of(() -> new FakeTarget(true));

        @Test
        void neverRuns() {
            EVENTS.add("test");
        }
    }
}
