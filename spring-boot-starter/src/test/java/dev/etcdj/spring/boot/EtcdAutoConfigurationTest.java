package dev.etcdj.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.TlsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the auto-configuration builds from which properties and beans, without a server: building a
 * client does not connect, and calls are not needed to see its configuration.
 */
class EtcdAutoConfigurationTest {

    /** Nothing listens there: nothing in this class talks to a server. */
    private static final String NOWHERE = "http://127.0.0.1:9";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdMetricsAutoConfiguration.class,
                    EtcdHealthContributorAutoConfiguration.class))
            .withPropertyValues("etcdj.client.endpoints=" + NOWHERE);

    @Test
    void defaultsAreTheClientBuildersDefaults() {
        ClientConfig config = EtcdAutoConfiguration.builder(new EtcdProperties()).config();
        ClientConfig plain = EtcdClient.builder().endpoints("http://127.0.0.1:2379").config();
        assertThat(config.endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(config.dialTimeout()).isEqualTo(plain.dialTimeout());
        assertThat(config.requestTimeout()).isEqualTo(plain.requestTimeout());
        assertThat(config.keepAliveTime()).isEqualTo(plain.keepAliveTime());
        assertThat(config.keepAliveTimeout()).isEqualTo(plain.keepAliveTimeout());
        assertThat(config.maxRetries()).isEqualTo(plain.maxRetries());
        assertThat(config.retryBackoff()).isEqualTo(plain.retryBackoff());
        assertThat(config.retryMaxBackoff()).isEqualTo(plain.retryMaxBackoff());
        assertThat(config.maxInboundMessageBytes()).isEqualTo(plain.maxInboundMessageBytes());
        assertThat(config.requireLeader()).isEqualTo(plain.requireLeader());
        assertThat(config.completeOnNetworkThreads()).isEqualTo(plain.completeOnNetworkThreads());
        assertThat(config.networkSpin()).isEqualTo(plain.networkSpin());
        assertThat(config.coalesceWatches()).isEqualTo(plain.coalesceWatches()).isTrue();
        assertThat(config.user()).isEmpty();
        assertThat(config.tls()).isEmpty();
    }

    @Test
    void everyPropertyReachesTheClientConfig() {
        new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class).withPropertyValues(
                "etcdj.client.endpoints=https://a:2379,https://b:2379",
                "etcdj.client.dial-timeout=750ms",
                "etcdj.client.request-timeout=3s",
                "etcdj.client.keep-alive-time=20s",
                "etcdj.client.keep-alive-timeout=4s",
                "etcdj.client.user=app",
                "etcdj.client.password=secret",
                "etcdj.client.require-leader=true",
                "etcdj.client.max-inbound-message-size=8MB",
                "etcdj.client.complete-on-network-threads=true",
                "etcdj.client.network-spin=0ms",
                "etcdj.client.coalesce-watches=false",
                "etcdj.client.retry.max-retries=3",
                "etcdj.client.retry.backoff=10ms",
                "etcdj.client.retry.max-backoff=200ms",
                "etcdj.client.tls.ca-file=/etc/etcd/ca.crt",
                "etcdj.client.tls.cert-file=/etc/etcd/client.crt",
                "etcdj.client.tls.key-file=/etc/etcd/client.key",
                "etcdj.client.tls.authority=etcd.internal").run(context -> {
                    ClientConfig c = EtcdAutoConfiguration.builder(context.getBean(EtcdProperties.class)).config();
                    assertThat(c.endpoints()).containsExactly("https://a:2379", "https://b:2379");
                    assertThat(c.dialTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(c.keepAliveTime()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(c.user()).contains("app");
                    assertThat(c.password()).contains("secret");
                    assertThat(c.requireLeader()).isTrue();
                    assertThat(c.maxInboundMessageBytes()).isEqualTo(8 * 1024 * 1024);
                    assertThat(c.completeOnNetworkThreads()).isTrue();
                    assertThat(c.networkSpin()).isZero();
                    assertThat(c.coalesceWatches()).isFalse();
                    assertThat(c.maxRetries()).isEqualTo(3);
                    assertThat(c.retryBackoff()).isEqualTo(Duration.ofMillis(10));
                    assertThat(c.retryMaxBackoff()).isEqualTo(Duration.ofMillis(200));
                    assertThat(c.tls()).contains(new TlsConfig(Optional.of(Path.of("/etc/etcd/ca.crt")),
                            Optional.of(Path.of("/etc/etcd/client.crt")), Optional.of(Path.of("/etc/etcd/client.key")),
                            Optional.of("etcd.internal"), false));
                });
    }

    @Test
    void insecureSkipVerifyAloneTurnsTlsOn() {
        new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("etcdj.client.tls.insecure-skip-verify=true").run(context -> {
                    ClientConfig c = EtcdAutoConfiguration.builder(context.getBean(EtcdProperties.class)).config();
                    assertThat(c.tls()).hasValueSatisfying(t -> {
                        assertThat(t.insecureSkipVerify()).isTrue();
                        assertThat(t.trustedCa()).isEmpty();
                    });
                });
    }

    @Test
    void theClientBeanIsBuiltAndClosedWithTheContext() {
        EtcdClient[] seen = new EtcdClient[1];
        runner.withPropertyValues("etcdj.client.request-timeout=2s").run(context -> {
            assertThat(context).hasSingleBean(EtcdClient.class);
            seen[0] = context.getBean(EtcdClient.class);
            assertThat(seen[0].config().endpoints()).containsExactly(NOWHERE);
            assertThat(seen[0].config().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
        assertThatThrownBy(() -> seen[0].kv().blocking().get("k")).isInstanceOf(ClientClosedException.class);
    }

    @Test
    void backsOffWhenTheApplicationHasItsOwnClient() {
        runner.withUserConfiguration(OwnClient.class).run(context -> {
            assertThat(context).hasSingleBean(EtcdClient.class);
            assertThat(context).hasBean("myClient").doesNotHaveBean("etcdClient");
            assertThat(context.getBean(EtcdClient.class).config().endpoints()).containsExactly("http://127.0.0.1:1");
            // the application's client still gets a health indicator
            assertThat(context).hasBean("etcdHealthContributor");
        });
    }

    @Test
    void customizersAdjustTheBuilderAfterTheProperties() {
        EventListener listener = new EventListener() { };
        runner.withPropertyValues("etcdj.client.dial-timeout=9s")
                .withBean(EtcdClientBuilderCustomizer.class, () -> b -> b.eventListener(listener).dialTimeout(Duration.ofSeconds(1)))
                .run(context -> {
                    ClientConfig c = context.getBean(EtcdClient.class).config();
                    assertThat(c.eventListeners()).contains(listener);
                    assertThat(c.dialTimeout()).isEqualTo(Duration.ofSeconds(1));
                });
    }

    @Test
    void metersBindOnlyWithARegistryBean() {
        runner.run(context -> assertThat(context).doesNotHaveBean("etcdMicrometerCustomizer"));
        runner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasBean("etcdMicrometerCustomizer");
            assertThat(context.getBean(EtcdClient.class).config().eventListeners()).hasSize(1);
        });
        runner.withBean(SimpleMeterRegistry.class).withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).doesNotHaveBean("etcdMicrometerCustomizer"));
    }

    @Test
    void healthComesWithTheActuatorAndCanBeTurnedOff() {
        runner.run(context -> assertThat(context.getBean("etcdHealthContributor")).isInstanceOf(EtcdHealthIndicator.class));
        runner.withPropertyValues("management.health.etcd.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(HealthContributor.class));
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasSingleBean(EtcdClient.class);
            assertThat(context).doesNotHaveBean("etcdHealthContributor");
        });
    }

    @Test
    void oneHealthComponentPerClient() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class,
                        EtcdHealthContributorAutoConfiguration.class))
                .withUserConfiguration(TwoClients.class).run(context -> {
                    var composite = (org.springframework.boot.actuate.health.CompositeHealthContributor)
                            context.getBean("etcdHealthContributor");
                    assertThat(composite.getContributor("orders")).isInstanceOf(EtcdHealthIndicator.class);
                    assertThat(composite.getContributor("config")).isInstanceOf(EtcdHealthIndicator.class);
                });
    }

    @Test
    void wrongValuesFailNamingTheirProperty() {
        assertFailsOn("etcdj.client.dial-timeout", "etcdj.client.dial-timeout=0s");
        assertFailsOn("etcdj.client.retry.backoff", "etcdj.client.retry.backoff=-1ms");
        assertFailsOn("etcdj.client.retry.max-retries", "etcdj.client.retry.max-retries=-1");
        assertFailsOn("etcdj.client.network-spin", "etcdj.client.network-spin=-1us");
        assertFailsOn("etcdj.client.password", "etcdj.client.user=app");
        assertFailsOn("etcdj.client.user", "etcdj.client.password=secret");
        assertFailsOn("etcdj.client.tls.key-file", "etcdj.client.tls.cert-file=/x/client.crt");
        assertFailsOn("etcdj.client.endpoints", "etcdj.client.endpoints=");
        assertFailsOn("etcdj.client.max-inbound-message-size", "etcdj.client.max-inbound-message-size=4GB");
    }

    private void assertFailsOn(String property, String... values) {
        runner.withPropertyValues(values).run(context -> {
            assertThat(context).hasFailed();
            Throwable t = context.getStartupFailure();
            while (t != null && !(t instanceof InvalidConfigurationPropertyValueException)) {
                t = t.getCause();
            }
            assertThat(t).as("the failure of " + List.of(values)).isInstanceOf(InvalidConfigurationPropertyValueException.class);
            assertThat(((InvalidConfigurationPropertyValueException) t).getName()).isEqualTo(property);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(EtcdProperties.class)
    static class PropertiesOnly {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean
        EtcdClient myClient() {
            return EtcdClient.builder().endpoints("http://127.0.0.1:1").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoClients {
        @Bean
        EtcdClient orders() {
            return EtcdClient.builder().endpoints(NOWHERE).build();
        }

        @Bean
        EtcdClient config() {
            return EtcdClient.builder().endpoints(NOWHERE).build();
        }
    }
}
