package dev.etcdj.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's configuration, immutable; made only by {@link ClientBuilder#config()}, so that a new
 * option never changes a constructor users call. See {@link ClientBuilder} for what each setting
 * means and its default. {@link #toString()} never shows the password.
 */
public final class ClientConfig {

    public static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEP_ALIVE_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = Integer.MAX_VALUE;
    public static final int DEFAULT_MAX_RETRIES = 8;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(25);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(1);
    /** Go clientv3's default limit on a request's size: 2 MiB. */
    public static final int DEFAULT_MAX_OUTBOUND_MESSAGE_BYTES = 2 * 1024 * 1024;
    /** How long a network thread that has just worked polls before it sleeps: 100 µs. */
    public static final Duration DEFAULT_NETWORK_SPIN = Duration.ofNanos(100_000);

    private final List<String> endpoints;
    private final Duration dialTimeout;
    private final Duration requestTimeout;
    private final Duration keepAliveTime;
    private final Duration keepAliveTimeout;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Optional<TlsConfig> tls;
    private final boolean requireLeader;
    private final int maxInboundMessageBytes;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Duration retryMaxBackoff;
    private final boolean completeOnNetworkThreads;
    private final Duration networkSpin;
    private final boolean coalesceWatches;
    private final List<EventListener> eventListeners;
    private final List<ConnectionStateListener> connectionStateListeners;
    private final EndpointPolicy endpointPolicy;
    private final Duration autoSyncInterval;
    private final boolean permitWithoutStream;
    private final int maxOutboundMessageBytes;
    private final boolean rejectOldCluster;
    private final Optional<SrvDiscovery> discovery;

    ClientConfig(ClientBuilder b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.discovery = b.discoverySrv.isEmpty() ? Optional.empty() : Optional.of(discovery(b));
        if (endpoints.isEmpty() && discovery.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        if (b.user.isPresent() != b.password.isPresent()) {
            throw new IllegalArgumentException("user and password go together");
        }
        this.dialTimeout = b.dialTimeout;
        this.requestTimeout = b.requestTimeout;
        this.keepAliveTime = b.keepAliveTime;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.user = b.user;
        this.password = b.password;
        this.tls = discovery.filter(d -> !d.insecure()).map(d -> domainChecked(b.tls, d.domain())).orElse(b.tls);
        this.requireLeader = b.requireLeader;
        this.maxInboundMessageBytes = b.maxInboundMessageBytes;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.retryMaxBackoff = b.retryMaxBackoff;
        this.completeOnNetworkThreads = b.completeOnNetworkThreads;
        this.networkSpin = b.networkSpin;
        this.coalesceWatches = b.coalesceWatches;
        this.eventListeners = List.copyOf(b.eventListeners);
        this.connectionStateListeners = List.copyOf(b.connectionStateListeners);
        this.endpointPolicy = b.endpointPolicy;
        this.autoSyncInterval = b.autoSyncInterval;
        this.permitWithoutStream = b.permitWithoutStream;
        this.maxOutboundMessageBytes = b.maxOutboundMessageBytes;
        this.rejectOldCluster = b.rejectOldCluster;
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public Duration dialTimeout() {
        return dialTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration keepAliveTime() {
        return keepAliveTime;
    }

    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    public Optional<String> user() {
        return user;
    }

    public Optional<String> password() {
        return password;
    }

    public Optional<TlsConfig> tls() {
        return tls;
    }

    public boolean requireLeader() {
        return requireLeader;
    }

    public int maxInboundMessageBytes() {
        return maxInboundMessageBytes;
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration retryBackoff() {
        return retryBackoff;
    }

    public Duration retryMaxBackoff() {
        return retryMaxBackoff;
    }

    public boolean completeOnNetworkThreads() {
        return completeOnNetworkThreads;
    }

    /** How long a network thread that has just worked polls before it sleeps (see {@link ClientBuilder#networkSpin}). */
    public Duration networkSpin() {
        return networkSpin;
    }

    /** Whether watches of the same range and flags share a server watch (see {@link ClientBuilder#coalesceWatches}). */
    public boolean coalesceWatches() {
        return coalesceWatches;
    }

    /** The listeners that hear the client's events, in the order they were added. */
    public List<EventListener> eventListeners() {
        return eventListeners;
    }

    /** The listeners that hear the client's connection state change. */
    public List<ConnectionStateListener> connectionStateListeners() {
        return connectionStateListeners;
    }

    /** How calls are spread over the endpoints; {@link EndpointPolicy#roundRobin()} unless set. */
    public EndpointPolicy endpointPolicy() {
        return endpointPolicy;
    }

    /** How often the client refreshes its endpoints from the member list; zero when it does not. */
    public Duration autoSyncInterval() {
        return autoSyncInterval;
    }

    /** Whether keep-alive pings are sent on connections without calls. */
    public boolean permitWithoutStream() {
        return permitWithoutStream;
    }

    /** The largest request the client sends, in bytes. */
    public int maxOutboundMessageBytes() {
        return maxOutboundMessageBytes;
    }

    /** Whether building the client fails when its cluster runs an etcd older than 3.2. */
    public boolean rejectOldCluster() {
        return rejectOldCluster;
    }

    /**
     * Secure discovery checks the domain as the TLS server name, as etcdctl does: the members'
     * certificates must name the domain, whatever addresses DNS gave. An authority set by the user wins.
     */
    private static Optional<TlsConfig> domainChecked(Optional<TlsConfig> tls, String domain) {
        TlsConfig t = tls.orElseGet(TlsConfig::jvmTrust);
        return Optional.of(t.authority().isPresent() ? t : t.withAuthority(domain));
    }

    private static SrvDiscovery discovery(ClientBuilder b) {
        SrvDiscovery d = SrvDiscovery.of(b.discoverySrv).withServiceName(b.discoverySrvName)
                .withInsecure(b.insecureDiscovery);
        return b.dnsServer.isPresent() ? d.withDnsServer(b.dnsServer.get()) : d;
    }

    /**
     * The DNS SRV discovery that found the endpoints when the client was built; empty without
     * {@link ClientBuilder#discoverySrv}. A client's {@link #endpoints()} are those it found.
     */
    public Optional<SrvDiscovery> discovery() {
        return discovery;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConfig c && endpoints.equals(c.endpoints) && dialTimeout.equals(c.dialTimeout)
                && requestTimeout.equals(c.requestTimeout) && keepAliveTime.equals(c.keepAliveTime)
                && keepAliveTimeout.equals(c.keepAliveTimeout) && user.equals(c.user) && password.equals(c.password)
                && tls.equals(c.tls) && requireLeader == c.requireLeader
                && maxInboundMessageBytes == c.maxInboundMessageBytes && maxRetries == c.maxRetries
                && retryBackoff.equals(c.retryBackoff) && retryMaxBackoff.equals(c.retryMaxBackoff)
                && completeOnNetworkThreads == c.completeOnNetworkThreads && networkSpin.equals(c.networkSpin)
                && coalesceWatches == c.coalesceWatches
                && eventListeners.equals(c.eventListeners)
                && connectionStateListeners.equals(c.connectionStateListeners)
                && endpointPolicy.equals(c.endpointPolicy) && autoSyncInterval.equals(c.autoSyncInterval)
                && permitWithoutStream == c.permitWithoutStream && maxOutboundMessageBytes == c.maxOutboundMessageBytes
                && rejectOldCluster == c.rejectOldCluster && discovery.equals(c.discovery);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoints, dialTimeout, requestTimeout, keepAliveTime, keepAliveTimeout, user, password,
                tls, requireLeader, maxInboundMessageBytes, maxRetries, retryBackoff, retryMaxBackoff,
                completeOnNetworkThreads, networkSpin, coalesceWatches, eventListeners, connectionStateListeners, endpointPolicy, autoSyncInterval,
                permitWithoutStream, maxOutboundMessageBytes, rejectOldCluster, discovery);
    }

    /** Every setting but the password, which shows as {@code ****} when set. */
    @Override
    public String toString() {
        return "ClientConfig{endpoints=" + endpoints + ", dialTimeout=" + dialTimeout
                + ", requestTimeout=" + requestTimeout + ", keepAliveTime=" + keepAliveTime
                + ", keepAliveTimeout=" + keepAliveTimeout + ", user=" + user.orElse("(none)")
                + ", password=" + (password.isPresent() ? "****" : "(none)") + ", tls=" + tls.map(Object::toString).orElse("(none)")
                + ", requireLeader=" + requireLeader + ", maxInboundMessageBytes=" + maxInboundMessageBytes
                + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff
                + ", retryMaxBackoff=" + retryMaxBackoff + ", completeOnNetworkThreads=" + completeOnNetworkThreads
                + ", networkSpin=" + networkSpin
                + ", coalesceWatches=" + coalesceWatches
                + ", eventListeners=" + eventListeners.size() + ", connectionStateListeners="
                + connectionStateListeners.size() + ", endpointPolicy=" + endpointPolicy
                + ", autoSyncInterval=" + autoSyncInterval + ", permitWithoutStream=" + permitWithoutStream
                + ", maxOutboundMessageBytes=" + maxOutboundMessageBytes + ", rejectOldCluster=" + rejectOldCluster
                + discovery.map(d -> ", discovery=" + d).orElse("") + "}";
    }
}
