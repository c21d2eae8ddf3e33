package dev.etcdj.spring.boot;

import dev.etcdj.micrometer.EtcdMicrometer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Records the auto-configured client's events as Micrometer meters ({@link EtcdMicrometer}: request
 * timers, retries, failovers, active watches and keep-alives, stream reconnects) when Micrometer is on
 * the class path and the context has a {@link MeterRegistry}. A client the application defines itself
 * is not touched: add {@code EtcdMicrometer.bind(registry)} to its builder.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, EtcdMicrometer.class})
@ConditionalOnBean(MeterRegistry.class)
public class EtcdMetricsAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public EtcdMetricsAutoConfiguration() {}

    /**
     * Adds the meters' listener to the auto-configured client's builder.
     *
     * @param registry where the meters go (the primary registry when there are several)
     * @return the customizer
     */
    @Bean
    public EtcdClientBuilderCustomizer etcdMicrometerCustomizer(MeterRegistry registry) {
        return builder -> builder.eventListener(EtcdMicrometer.bind(registry));
    }
}
