package dev.etcdj.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A client's configuration, immutable; see {@link ClientBuilder} for what each setting means and
 * its default.
 */
public record ClientConfig(List<String> endpoints, Duration dialTimeout, Duration requestTimeout,
                           Duration keepAliveTime, Duration keepAliveTimeout, Optional<String> user,
                           Optional<String> password, Optional<TlsConfig> tls, boolean requireLeader,
                           int maxInboundMessageBytes, int maxRetries, Duration retryBackoff,
                           Duration retryMaxBackoff, boolean completeOnNetworkThreads) {

    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEP_ALIVE_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = Integer.MAX_VALUE;
    public static final int DEFAULT_MAX_RETRIES = 8;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(25);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(1);

    public ClientConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("user and password go together");
        }
    }
}
