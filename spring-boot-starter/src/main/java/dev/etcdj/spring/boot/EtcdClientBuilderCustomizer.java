package dev.etcdj.spring.boot;

import dev.etcdj.client.ClientBuilder;

/**
 * Adjusts the builder of the auto-configured {@link dev.etcdj.client.EtcdClient} after the
 * {@code etcdj.client.*} properties were applied and before the client is built: declare one as a
 * bean to add an {@link dev.etcdj.client.EventListener} or a
 * {@link dev.etcdj.client.ConnectionStateListener}, or to set what properties cannot say. Customizers
 * run in their {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface EtcdClientBuilderCustomizer {

    /**
     * Adjusts {@code builder}.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(ClientBuilder builder);
}
