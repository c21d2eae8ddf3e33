package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.server.EtcdServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small {@link EtcdTest} classes through the JUnit launcher and checks what they saw: which
 * server, how often one was started, what was injected, and that everything is gone afterwards.
 */
class EtcdExtensionTest {

    /** What the sample classes saw, in order: one endpoint per test. */
    static final List<String> seen = new CopyOnWriteArrayList<>();

    static TestExecutionSummary run(Class<?> sample) {
        seen.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample)).build(),
                listener);
        return listener.getSummary();
    }

    static void assertAllPassed(TestExecutionSummary s, int tests) {
        if (!s.getFailures().isEmpty()) {
            throw new AssertionError("sample failed", s.getFailures().get(0).getException());
        }
        assertThat(s.getTestsSucceededCount()).isEqualTo(tests);
    }

    /** True when nothing listens on the endpoint's port any more (it can be bound again). */
    static boolean released(String endpoint) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), URI.create(endpoint).getPort()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- samples

    @EtcdTest
    static class PerClass {
        @EtcdInject
        static String first;
        @EtcdInject
        EtcdClient field;
        @EtcdInject
        String endpoint;

        private final URI fromConstructor;

        PerClass(URI endpoint) {
            this.fromConstructor = endpoint;
        }

        @Test
        void one(EtcdClient client, URI uri, @EtcdInject String text, EtcdTarget target, EtcdServer server) {
            client.kv().blocking().put("shared", "1");
            assertThat(field).isSameAs(client);
            assertThat(uri.toString()).isEqualTo(text).isEqualTo(endpoint).isEqualTo(first)
                    .isEqualTo(target.endpoint()).isEqualTo(server.endpoint()).isEqualTo(fromConstructor.toString());
            assertThat(target.isRealEtcd()).isFalse();
            seen.add(text);
        }

        @Test
        void two(EtcdClient client, @EtcdInject String text) {
            // the same server as the other test: its write is there
            assertThat(client.kv().blocking().get("shared").count()).isEqualTo(1);
            seen.add(text);
        }

        @Nested
        class Inner {
            @Test
            void sharesTheOuterServer(EtcdClient client, @EtcdInject String text) {
                assertThat(client.kv().blocking().get("shared").count()).isEqualTo(1);
                seen.add(text);
            }
        }
    }

    @EtcdTest(scope = EtcdTest.Scope.METHOD)
    static class PerMethod {
        @EtcdInject
        EtcdClient field;

        @Test
        void one(EtcdClient client, @EtcdInject String text) {
            assertThat(field).isSameAs(client);
            assertThat(client.kv().blocking().get("own").count()).isZero();
            client.kv().blocking().put("own", "1");
            seen.add(text);
        }

        @Test
        void two(EtcdClient client, @EtcdInject String text) {
            assertThat(client.kv().blocking().get("own").count()).isZero();
            client.kv().blocking().put("own", "1");
            seen.add(text);
        }
    }

    @EtcdTest(scope = EtcdTest.Scope.METHOD)
    static class ConstructorWithPerMethod {
        ConstructorWithPerMethod(EtcdClient client) {
        }

        @Test
        void never() {
        }
    }

    @EtcdTest
    static class AskingForAProcessOfTheEmbeddedServer {
        @Test
        void never(EtcdProcess process) {
        }
    }

    @EtcdTest
    static class FailingTest {
        @Test
        void fails(@EtcdInject String text) {
            seen.add(text);
            throw new AssertionError("on purpose");
        }
    }

    // ---- checks

    @Test
    void oneServerPerClassIsSharedByItsTestsAndNestedClassesAndReleasedAfter() {
        assertAllPassed(run(PerClass.class), 3);
        assertThat(seen).hasSize(3).containsOnly(seen.get(0));
        assertThat(released(seen.get(0))).as("port released").isTrue();
    }

    @Test
    void scopeMethodGivesEachTestAFreshServer() {
        assertAllPassed(run(PerMethod.class), 2);
        assertThat(seen).hasSize(2).doesNotHaveDuplicates();
        assertThat(seen).allSatisfy(e -> assertThat(released(e)).as("port of %s released", e).isTrue());
    }

    @Test
    void theServerIsStoppedWhenATestFails() {
        TestExecutionSummary s = run(FailingTest.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(1);
        assertThat(released(seen.get(0))).isTrue();
    }

    @Test
    void whatCannotBeInjectedFailsWithAClearReason() {
        TestExecutionSummary ctor = run(ConstructorWithPerMethod.class);
        assertThat(ctor.getFailures()).singleElement()
                .satisfies(f -> assertThat(f.getException()).hasMessageContaining("scope = METHOD"));
        TestExecutionSummary process = run(AskingForAProcessOfTheEmbeddedServer.class);
        assertThat(process.getFailures()).singleElement()
                .satisfies(f -> assertThat(f.getException()).hasMessageContaining("REAL_ETCD"));
    }
}
