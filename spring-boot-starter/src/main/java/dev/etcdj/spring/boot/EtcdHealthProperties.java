package dev.etcdj.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code management.health.etcd.*} properties of {@link EtcdHealthIndicator}. */
@ConfigurationProperties(prefix = "management.health.etcd")
public class EtcdHealthProperties {

    /** How long each member's status call may take before the member counts as down. */
    private Duration timeout = Duration.ofSeconds(2);

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
