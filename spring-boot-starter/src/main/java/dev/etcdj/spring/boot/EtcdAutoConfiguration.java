package dev.etcdj.spring.boot;

import dev.etcdj.client.ClientBuilder;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.TlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures an {@link EtcdClient} from the {@code etcdj.client.*} properties
 * ({@link EtcdProperties}), adjusted by every {@link EtcdClientBuilderCustomizer} bean. It backs off
 * when the application defines its own {@code EtcdClient} bean. The client is closed with the
 * application context. Building it does not connect: the application starts while etcd is down, and
 * calls fail with {@code EtcdUnavailableException} until it is back.
 */
@AutoConfiguration
@ConditionalOnClass(EtcdClient.class)
@EnableConfigurationProperties(EtcdProperties.class)
public class EtcdAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public EtcdAutoConfiguration() {}

    /**
     * The client.
     *
     * @param properties the {@code etcdj.client.*} properties
     * @param customizers the builder customizers, applied in order after the properties
     * @return the client, closed with the context
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdClient etcdClient(EtcdProperties properties, ObjectProvider<EtcdClientBuilderCustomizer> customizers) {
        ClientBuilder builder = builder(properties);
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** A builder with every property applied; a wrong value fails naming its property. */
    static ClientBuilder builder(EtcdProperties p) {
        List<String> endpoints = p.getEndpoints() == null ? List.of() : p.getEndpoints();
        if (endpoints.isEmpty() || endpoints.stream().anyMatch(e -> e == null || e.isBlank())) {
            throw new InvalidConfigurationPropertyValueException("etcdj.client.endpoints", endpoints,
                    "at least one endpoint is needed, and none may be blank");
        }
        ClientBuilder b = EtcdClient.builder()
                .endpoints(endpoints)
                .dialTimeout(positive("etcdj.client.dial-timeout", p.getDialTimeout()))
                .requestTimeout(positive("etcdj.client.request-timeout", p.getRequestTimeout()))
                .keepAlive(positive("etcdj.client.keep-alive-time", p.getKeepAliveTime()),
                        positive("etcdj.client.keep-alive-timeout", p.getKeepAliveTimeout()))
                .requireLeader(p.isRequireLeader())
                .completeOnNetworkThreads(p.isCompleteOnNetworkThreads())
                .networkSpin(notNegative("etcdj.client.network-spin", p.getNetworkSpin()))
                .coalesceWatches(p.isCoalesceWatches());
        if (p.getUser() != null || p.getPassword() != null) {
            if (p.getUser() == null || p.getPassword() == null) {
                String missing = p.getUser() == null ? "etcdj.client.user" : "etcdj.client.password";
                throw new InvalidConfigurationPropertyValueException(missing, null,
                        "etcdj.client.user and etcdj.client.password go together");
            }
            b.credentials(p.getUser(), p.getPassword());
        }
        if (p.getMaxInboundMessageSize() != null) {
            long bytes = p.getMaxInboundMessageSize().toBytes();
            if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
                throw new InvalidConfigurationPropertyValueException("etcdj.client.max-inbound-message-size",
                        p.getMaxInboundMessageSize(), "must be between 1 byte and 2 GiB - 1");
            }
            b.maxInboundMessageBytes((int) bytes);
        }
        EtcdProperties.Retry retry = p.getRetry();
        if (retry.getMaxRetries() < 0) {
            throw new InvalidConfigurationPropertyValueException("etcdj.client.retry.max-retries",
                    retry.getMaxRetries(), "must not be negative");
        }
        b.retry(retry.getMaxRetries(), positive("etcdj.client.retry.backoff", retry.getBackoff()),
                positive("etcdj.client.retry.max-backoff", retry.getMaxBackoff()));
        if (p.getTls().isConfigured()) {
            b.tls(tls(p.getTls()));
        }
        return b;
    }

    private static TlsConfig tls(EtcdProperties.Tls t) {
        if ((t.getCertFile() == null) != (t.getKeyFile() == null)) {
            String missing = t.getCertFile() == null ? "etcdj.client.tls.cert-file" : "etcdj.client.tls.key-file";
            throw new InvalidConfigurationPropertyValueException(missing, null,
                    "a client certificate (cert-file) needs its private key (key-file), and the other way round");
        }
        return new TlsConfig(Optional.ofNullable(t.getCaFile()), Optional.ofNullable(t.getCertFile()),
                Optional.ofNullable(t.getKeyFile()), Optional.ofNullable(t.getAuthority()), t.isInsecureSkipVerify());
    }

    private static Duration notNegative(String property, Duration d) {
        if (d == null || d.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(property, d, "must not be negative");
        }
        return d;
    }

    private static Duration positive(String property, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidConfigurationPropertyValueException(property, d, "must be a positive duration");
        }
        return d;
    }
}
