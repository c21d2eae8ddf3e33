package dev.etcdj.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.micrometer.EtcdMicrometer;
import dev.etcdj.testing.EtcdTargetExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.health.SystemHealth;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole Spring Boot application with the actuator on the class path, as a user would have it: the
 * starter's auto-configuration is found through its imports file, the actuator's health endpoint shows
 * the {@code etcd} component, and Boot's own MeterRegistry gets the client's meters.
 */
@SpringBootTest(properties = "management.endpoint.health.show-details=always")
class EtcdStarterSpringBootIT {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();

    @DynamicPropertySource
    static void etcdProperties(DynamicPropertyRegistry registry) {
        registry.add("etcdj.client.endpoints", () -> etcd.target().endpoint());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Autowired
    EtcdClient client;

    @Autowired
    HealthEndpoint healthEndpoint;

    @Autowired
    MeterRegistry meterRegistry;

    @Test
    void theApplicationGetsAClientHealthAndMeters() {
        assertThat(client.config().endpoints()).containsExactly(etcd.target().endpoint());
        client.kv().blocking().put("/boot/k", "v");
        assertThat(client.kv().blocking().get("/boot/k").count()).isEqualTo(1);

        HealthComponent etcdHealth = healthEndpoint.healthForPath("etcd");
        assertThat(etcdHealth).isNotNull();
        assertThat(etcdHealth.getStatus()).isEqualTo(Status.UP);
        HealthComponent all = healthEndpoint.health();
        assertThat(((SystemHealth) all).getComponents()).containsKey("etcd");

        assertThat(meterRegistry.get(EtcdMicrometer.REQUESTS).tags("method", "KV/Put", "outcome", "SUCCESS")
                .timer().count()).isEqualTo(1);
        assertThat(meterRegistry.get(EtcdMicrometer.REQUESTS).tags("method", "Maintenance/Status").timer().count())
                .isGreaterThanOrEqualTo(1);
    }
}
