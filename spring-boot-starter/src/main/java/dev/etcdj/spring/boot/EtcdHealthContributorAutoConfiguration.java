package dev.etcdj.spring.boot;

import dev.etcdj.client.EtcdClient;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.health.CompositeHealthContributorConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The actuator's {@code etcd} health component ({@link EtcdHealthIndicator}), when the actuator is on
 * the class path and the context has an {@link EtcdClient} (the auto-configured one or the
 * application's own). With several clients, one component per client under {@code etcd}. Off with
 * {@code management.health.etcd.enabled=false}; replaced by a bean named {@code etcdHealthIndicator}
 * or {@code etcdHealthContributor}.
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class,
        beforeName = "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration")
@ConditionalOnClass({EtcdClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(EtcdClient.class)
@ConditionalOnEnabledHealthIndicator("etcd")
@EnableConfigurationProperties(EtcdHealthProperties.class)
public class EtcdHealthContributorAutoConfiguration
        extends CompositeHealthContributorConfiguration<EtcdHealthIndicator, EtcdClient> {

    /**
     * Creates the auto-configuration; Spring does.
     *
     * @param properties the {@code management.health.etcd.*} properties
     */
    public EtcdHealthContributorAutoConfiguration(EtcdHealthProperties properties) {
        super(client -> new EtcdHealthIndicator(client, properties.getTimeout()));
    }

    /**
     * The health component of every {@link EtcdClient} bean.
     *
     * @param clients the clients by bean name
     * @return one indicator, or a composite of one per client
     */
    @Bean
    @ConditionalOnMissingBean(name = {"etcdHealthIndicator", "etcdHealthContributor"})
    public HealthContributor etcdHealthContributor(Map<String, EtcdClient> clients) {
        return createContributor(clients);
    }
}
