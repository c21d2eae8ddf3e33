package dev.etcdj.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.micrometer.EtcdMicrometer;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.TestCerts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter against a running etcd: the auto-configured client works, the health indicator reports
 * the member and turns DOWN when it stops, the meters move, TLS comes from properties. Run against
 * real etcd ({@link RealEtcdStarterIT}) and our server ({@link EtcdjServerStarterIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StarterContract {

    /** How long the DOWN report may take: the health timeout plus the indicator's grace and slack for a loaded machine. */
    private static final Duration DOWN_WITHIN = Duration.ofSeconds(15);
    /** The version both targets report in their status: real etcd 3.4 and our server, which speaks 3.4. */
    private static final String VERSION_PREFIX = "3.4.";

    /** A started target with plain-text client URLs. */
    protected abstract EtcdTarget startPlain();

    /**
     * A started target whose client URLs are https with {@code certs}' {@code server.crt}, requiring
     * client certificates signed by {@code ca.crt}.
     */
    protected abstract EtcdTarget startMutualTls(TestCerts certs);


    private Path certDir;
    private TestCerts certs;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdMetricsAutoConfiguration.class,
                    EtcdHealthContributorAutoConfiguration.class))
            .withPropertyValues("management.health.etcd.timeout=1s");

    @BeforeAll
    void makeCerts() throws IOException {
        certDir = Files.createTempDirectory("etcdj-starter-certs");
        certs = TestCerts.create(certDir);
    }

    @AfterAll
    void deleteCerts() throws IOException {
        if (certDir != null) {
            try (Stream<Path> files = Files.walk(certDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static HealthIndicator health(org.springframework.context.ApplicationContext context) {
        return (HealthIndicator) context.getBean("etcdHealthContributor");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpointDetails(Health health, String endpoint) {
        Map<String, Object> endpoints = (Map<String, Object>) health.getDetails().get("endpoints");
        assertThat(endpoints).containsKey(endpoint);
        return (Map<String, Object>) endpoints.get(endpoint);
    }

    @Test
    void healthIsUpWithTheMembersStatus() {
        try (EtcdTarget etcd = startPlain()) {
            runner.withPropertyValues("etcdj.client.endpoints=" + etcd.endpoint()).run(context -> {
                context.getBean(EtcdClient.class).kv().blocking().put("/starter/health", "v");
                Health health = health(context).health();
                assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
                Map<String, Object> member = endpointDetails(health, etcd.endpoint());
                assertThat((String) member.get("version")).startsWith(VERSION_PREFIX);
                assertThat(member.get("leaderId")).isNotEqualTo("0").isEqualTo(member.get("memberId"));
                assertThat(member.get("isLeader")).isEqualTo(true);
                assertThat((Long) member.get("raftIndex")).isPositive();
                assertThat((Long) member.get("revision")).isGreaterThanOrEqualTo(2);
                assertThat((Long) member.get("dbSize")).isPositive();
                assertThat(member).doesNotContainKeys("error", "alarms");
            });
        }
    }

    @Test
    void healthTurnsDownWhenTheServerStops() {
        EtcdTarget etcd = startPlain();
        try {
            String endpoint = etcd.endpoint();
            runner.withPropertyValues("etcdj.client.endpoints=" + endpoint).run(context -> {
                assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                etcd.close();
                long start = System.nanoTime();
                Health health = health(context).health();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
                assertThat(took).isLessThan(DOWN_WITHIN);
                assertThat((String) health.getDetails().get("error")).startsWith(endpoint + ": ");
                assertThat(endpointDetails(health, endpoint)).containsKey("error").doesNotContainKey("version");
            });
        } finally {
            etcd.close();
        }
    }

    @Test
    void metersMoveWithTheClientsCalls() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EtcdTarget etcd = startPlain()) {
            runner.withPropertyValues("etcdj.client.endpoints=" + etcd.endpoint())
                    .withBean(SimpleMeterRegistry.class, () -> registry).run(context -> {
                        var kv = context.getBean(EtcdClient.class).kv().blocking();
                        kv.put("/starter/m", "1");
                        kv.put("/starter/m", "2");
                        kv.get("/starter/m");
                        assertThat(registry.get(EtcdMicrometer.REQUESTS).tags("method", "KV/Put", "outcome", "SUCCESS")
                                .timer().count()).isEqualTo(2);
                        assertThat(registry.get(EtcdMicrometer.REQUESTS).tags("method", "KV/Range", "outcome", "SUCCESS")
                                .timer().count()).isEqualTo(1);
                    });
        }
    }

    @Test
    void mutualTlsFromProperties() {
        try (EtcdTarget etcd = startMutualTls(certs)) {
            assertThat(etcd.endpoint()).startsWith("https://");
            runner.withPropertyValues("etcdj.client.endpoints=" + etcd.endpoint(),
                    "etcdj.client.tls.ca-file=" + certs.path("ca.crt"),
                    "etcdj.client.tls.cert-file=" + certs.path("client.crt"),
                    "etcdj.client.tls.key-file=" + certs.path("client.key")).run(context -> {
                        var kv = context.getBean(EtcdClient.class).kv().blocking();
                        kv.put("/starter/tls", "secret");
                        assertThat(kv.get("/starter/tls").kvs().get(0).value().toStringUtf8()).isEqualTo("secret");
                        assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                    });
            // Without the client certificate the server refuses the handshake: the health says so.
            runner.withPropertyValues("etcdj.client.endpoints=" + etcd.endpoint(),
                    "etcdj.client.tls.ca-file=" + certs.path("ca.crt")).run(context -> {
                        Health health = health(context).health();
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(endpointDetails(health, etcd.endpoint())).containsKey("error");
                    });
        }
    }
}
