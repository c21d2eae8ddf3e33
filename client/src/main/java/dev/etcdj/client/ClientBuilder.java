package dev.etcdj.client;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Builds an {@link EtcdClient}. Not thread-safe; the client it builds is. */
public final class ClientBuilder {

    // Read by ClientConfig's constructor.
    List<String> endpoints = new ArrayList<>();
    Duration dialTimeout = ClientConfig.DEFAULT_DIAL_TIMEOUT;
    Duration requestTimeout = ClientConfig.DEFAULT_REQUEST_TIMEOUT;
    Duration keepAliveTime = ClientConfig.DEFAULT_KEEP_ALIVE_TIME;
    Duration keepAliveTimeout = ClientConfig.DEFAULT_KEEP_ALIVE_TIMEOUT;
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    Optional<TlsConfig> tls = Optional.empty();
    boolean requireLeader;
    int maxInboundMessageBytes = ClientConfig.DEFAULT_MAX_INBOUND_MESSAGE_BYTES;
    int maxRetries = ClientConfig.DEFAULT_MAX_RETRIES;
    Duration retryBackoff = ClientConfig.DEFAULT_RETRY_BACKOFF;
    Duration retryMaxBackoff = ClientConfig.DEFAULT_RETRY_MAX_BACKOFF;
    boolean completeOnNetworkThreads;
    Duration networkSpin = ClientConfig.DEFAULT_NETWORK_SPIN;
    boolean coalesceWatches = true;
    List<EventListener> eventListeners = new ArrayList<>();
    List<ConnectionStateListener> connectionStateListeners = new ArrayList<>();
    EndpointPolicy endpointPolicy = EndpointPolicy.roundRobin();
    Duration autoSyncInterval = Duration.ZERO;
    boolean permitWithoutStream;
    int maxOutboundMessageBytes = ClientConfig.DEFAULT_MAX_OUTBOUND_MESSAGE_BYTES;
    boolean rejectOldCluster;
    String discoverySrv = "";
    String discoverySrvName = "";
    Optional<InetSocketAddress> dnsServer = Optional.empty();
    boolean insecureDiscovery = true;

    ClientBuilder() {}

    ClientBuilder(ClientConfig c) {
        endpoints = new ArrayList<>(c.endpoints());
        dialTimeout = c.dialTimeout();
        requestTimeout = c.requestTimeout();
        keepAliveTime = c.keepAliveTime();
        keepAliveTimeout = c.keepAliveTimeout();
        user = c.user();
        password = c.password();
        tls = c.tls();
        requireLeader = c.requireLeader();
        maxInboundMessageBytes = c.maxInboundMessageBytes();
        maxRetries = c.maxRetries();
        retryBackoff = c.retryBackoff();
        retryMaxBackoff = c.retryMaxBackoff();
        completeOnNetworkThreads = c.completeOnNetworkThreads();
        networkSpin = c.networkSpin();
        coalesceWatches = c.coalesceWatches();
        eventListeners = new ArrayList<>(c.eventListeners());
        connectionStateListeners = new ArrayList<>(c.connectionStateListeners());
        endpointPolicy = c.endpointPolicy();
        autoSyncInterval = c.autoSyncInterval();
        permitWithoutStream = c.permitWithoutStream();
        maxOutboundMessageBytes = c.maxOutboundMessageBytes();
        rejectOldCluster = c.rejectOldCluster();
        c.discovery().ifPresent(d -> {
            discoverySrv = d.domain();
            discoverySrvName = d.serviceName();
            dnsServer = d.dnsServer();
            insecureDiscovery = d.insecure();
        });
    }

    /**
     * The members to talk to: {@code host:port}, {@code http://host:port} or {@code https://host:port}
     * (https implies TLS with the JVM's trust store unless {@link #tls(TlsConfig)} says otherwise).
     * The client fails over between them.
     */
    public ClientBuilder endpoints(String... endpoints) {
        return endpoints(Arrays.asList(endpoints));
    }

    public ClientBuilder endpoints(List<String> endpoints) {
        this.endpoints = new ArrayList<>(endpoints);
        return this;
    }

    /** How long to wait for a connection before a call fails as unavailable. Default 5 s. */
    public ClientBuilder dialTimeout(Duration timeout) {
        this.dialTimeout = positive(timeout);
        return this;
    }

    /** The default deadline of each unary call; override per call with {@code withTimeout}. Default 10 s. */
    public ClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout);
        return this;
    }

    /** HTTP/2 pings on idle connections, to notice dead servers. Default every 30 s, 10 s to answer. */
    public ClientBuilder keepAlive(Duration time, Duration timeout) {
        this.keepAliveTime = positive(time);
        this.keepAliveTimeout = positive(timeout);
        return this;
    }

    /** Authenticate as this user; the client renews its token by itself. */
    public ClientBuilder credentials(String user, String password) {
        this.user = Optional.of(Objects.requireNonNull(user));
        this.password = Optional.of(Objects.requireNonNull(password));
        return this;
    }

    public ClientBuilder tls(TlsConfig tls) {
        this.tls = Optional.of(tls);
        return this;
    }

    /** Fail calls fast with {@link NoLeaderException} when the member has lost its leader. */
    public ClientBuilder requireLeader(boolean requireLeader) {
        this.requireLeader = requireLeader;
        return this;
    }

    public ClientBuilder maxInboundMessageBytes(int bytes) {
        this.maxInboundMessageBytes = bytes;
        return this;
    }

    /**
     * How often a call is retried on another endpoint when it surely never reached a server (or is a
     * read), with exponential backoff between {@code backoff} and {@code maxBackoff}. Default 8 times,
     * 25 ms to 1 s. Never beyond the call's deadline.
     */
    public ClientBuilder retry(int maxRetries, Duration backoff, Duration maxBackoff) {
        this.maxRetries = maxRetries;
        this.retryBackoff = positive(backoff);
        this.retryMaxBackoff = positive(maxBackoff);
        return this;
    }

    /**
     * Completes the futures of unary calls (KV, lease, cluster, maintenance, auth) on the client's
     * network threads instead of handing each answer to the client's callback pool. For code that
     * chains each call on the last one's stage, that saves a thread hand-off per call (p50 of such a
     * sequential get 0.158 → 0.123 ms against a local etcd); a thread that waits on each call
     * ({@code join()}, {@code get()}, the blocking views) gets its answer without that hand-off
     * either way, since it finishes the call itself. But
     * every stage chained on such a future without an executor ({@code thenApply}, {@code
     * whenComplete}, ...) then runs on a network thread: it must be short and must never block, or it
     * stalls every call of the client. A blocking call made there fails with
     * {@link IllegalStateException} instead of deadlocking. Watch and keep-alive listeners are not
     * affected. Default off.
     */
    public ClientBuilder completeOnNetworkThreads(boolean on) {
        this.completeOnNetworkThreads = on;
        return this;
    }

    /**
     * How long a network thread that has just worked (read an answer, written a request) keeps
     * polling its connections before it goes to sleep, while the client has few unary calls in
     * flight (at most half as many as the machine has cores, and at least one). A sequential caller's next request,
     * or the answer to the one just written, mostly comes within that time, and then no thread has
     * to be woken for it: waking one costs tens of microseconds on a virtual machine, a large share
     * of a call to a nearby etcd (a chained 1-client get loop: 360 → 250 µs per call). The price
     * is CPU: up to this long per wake-up of a network thread, only while calls are few; an idle
     * client polls once after its last work and then sleeps. Default 100 µs; {@link Duration#ZERO}
     * makes network threads sleep at once, as Netty's do by default.
     */
    public ClientBuilder networkSpin(Duration spin) {
        if (spin == null || spin.isNegative()) {
            throw new IllegalArgumentException("networkSpin must not be negative: " + spin);
        }
        this.networkSpin = spin;
        return this;
    }

    /**
     * Whether watches of this client with the same key or range and the same flags (prev kv, progress
     * notify, filters, fragment) share one watch on the server, which then sends each of their events
     * once instead of once per watch, as etcd's gRPC proxy coalesces watches. Each watch is still
     * created, confirmed or refused on the server as a watch of its own and starts at the revision it
     * would start at alone; it joins the shared one once that one has delivered no further, and if
     * the server cancels the shared one, each is created again on its own. What a listener hears does
     * not change. Default on; off gives each watch a server watch of its own, e.g. to count them on
     * the server.
     */
    public ClientBuilder coalesceWatches(boolean on) {
        this.coalesceWatches = on;
        return this;
    }

    /**
     * Adds a listener of the client's events (calls, retries, failovers, streams, keep-alives, token
     * renewals): for metrics and tracing, e.g. {@code etcdj-micrometer}'s. Each listener added hears
     * every event; see {@link EventListener} for the rules a listener must keep.
     */
    public ClientBuilder eventListener(EventListener listener) {
        eventListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Adds a listener of the client's connection state (connected, suspended, reconnected, lost; see
     * {@link ConnectionState}). With one, the client connects to its endpoints as soon as it is
     * built and reconnects at once when a connection drops, so that the state is known without calls.
     */
    public ClientBuilder connectionStateListener(ConnectionStateListener listener) {
        connectionStateListeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * How calls are spread over the endpoints: {@link EndpointPolicy#roundRobin()} (the default, as
     * Go's clientv3 3.4), {@link EndpointPolicy#pinned()}, or a policy of your own.
     *
     * @param policy the policy; each client built gets its own selector from it
     * @return this builder
     */
    public ClientBuilder endpointPolicy(EndpointPolicy policy) {
        this.endpointPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Refreshes the client's endpoints from the cluster's member list every {@code interval}, as
     * Go's {@code AutoSyncInterval}: the client URLs of every started member that is not a learner
     * (see {@link EtcdClient#sync()}), so that added members get calls and removed ones are dropped.
     * A failed refresh is logged and the endpoints stay. Default zero: never.
     *
     * @param interval the time between refreshes; zero turns it off
     * @return this builder
     * @throws IllegalArgumentException when {@code interval} is negative
     */
    public ClientBuilder autoSyncInterval(Duration interval) {
        if (interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("auto sync interval must be zero or positive: " + interval);
        }
        this.autoSyncInterval = interval;
        return this;
    }

    /**
     * Whether the HTTP/2 keep-alive pings of {@link #keepAlive} are sent also on connections without
     * any call, as Go's {@code PermitWithoutStream}. The server must allow it (etcd's
     * {@code --grpc-keepalive-min-time} and its policy), or it closes the connection. Default off.
     *
     * @param permit whether to ping idle connections
     * @return this builder
     */
    public ClientBuilder permitWithoutStream(boolean permit) {
        this.permitWithoutStream = permit;
        return this;
    }

    /**
     * The largest request the client sends, as Go's {@code MaxCallSendMsgSize}; a larger one fails
     * with {@link RequestTooLargeException} before it leaves the client. Default 2 MiB, as Go.
     *
     * @param bytes the limit, positive
     * @return this builder
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public ClientBuilder maxOutboundMessageBytes(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("max outbound message bytes must be positive: " + bytes);
        }
        this.maxOutboundMessageBytes = bytes;
        return this;
    }

    /**
     * Refuse to build a client for a cluster that runs etcd older than 3.2, as Go's
     * {@code RejectOldCluster}: {@link #build()} asks every endpoint's status (within the dial
     * timeout) and throws {@link OldClusterException} unless one answers with 3.2 or newer.
     * Default off.
     *
     * @param reject whether to check
     * @return this builder
     */
    public ClientBuilder rejectOldCluster(boolean reject) {
        this.rejectOldCluster = reject;
        return this;
    }

    /**
     * Finds the endpoints in DNS when the client is built, as etcdctl's {@code --discovery-srv}: the
     * SRV records {@code _etcd-client-ssl._tcp.<domain>} (https) and {@code _etcd-client._tcp.<domain>}
     * (http); see {@link SrvDiscovery} for the rules. The endpoints found replace those given with
     * {@link #endpoints}, which are used only when discovery finds none that may be used.
     * {@link EtcdClient#sync()} still refreshes from the member list, as Go's; when that fails (no
     * endpoint answers), it asks DNS again. {@link #build()} throws {@link DiscoveryException} when
     * neither record can be looked up. Default: no discovery.
     *
     * @param domain e.g. {@code example.com}; empty turns discovery off
     * @return this builder
     */
    public ClientBuilder discoverySrv(String domain) {
        this.discoverySrv = Objects.requireNonNull(domain, "domain").trim();
        return this;
    }

    /**
     * The service name of {@link #discoverySrv}, as etcdctl's {@code --discovery-srv-name}: asks for
     * {@code _etcd-client-ssl-<name>._tcp.<domain>} and {@code _etcd-client-<name>._tcp.<domain>}.
     *
     * @param name the suffix; empty for none (the default)
     * @return this builder
     */
    public ClientBuilder discoverySrvName(String name) {
        this.discoverySrvName = Objects.requireNonNull(name, "name").trim();
        return this;
    }

    /**
     * The DNS server that {@link #discoverySrv} asks, instead of the system's resolver: a private
     * resolver, or a test's (e.g. {@code dev.etcdj.testing.dns.LoopbackDns}). Discovered host names
     * are then resolved by it too.
     *
     * @param server its address and port
     * @return this builder
     */
    public ClientBuilder dnsServer(InetSocketAddress server) {
        this.dnsServer = Optional.of(Objects.requireNonNull(server, "server"));
        return this;
    }

    /**
     * Whether {@link #discoverySrv} uses plain {@code http://} endpoints (the {@code _etcd-client._tcp}
     * records), as etcdctl's {@code --insecure-discovery}. Default true, as etcdctl. With it off, the
     * domain is also checked as the TLS server name, as etcdctl does: the members' certificates must
     * name the domain (a {@link TlsConfig#withAuthority} of your own wins; without {@link #tls} the
     * JVM's trust store is used).
     *
     * @param accept false to use only the TLS records
     * @return this builder
     */
    public ClientBuilder insecureDiscovery(boolean accept) {
        this.insecureDiscovery = accept;
        return this;
    }

    /** The configuration as it stands; throws IllegalArgumentException when it is incomplete. */
    public ClientConfig config() {
        return new ClientConfig(this);
    }

    /**
     * Builds the client; with {@link #discoverySrv} it first looks its endpoints up in DNS.
     *
     * @return a new client
     * @throws DiscoveryException when DNS discovery finds no endpoint
     */
    public EtcdClient build() {
        ClientConfig c = config();
        if (c.discovery().isPresent()) {
            c = withDiscoveredEndpoints(c);
        }
        return Implementation.create(c);
    }

    private static ClientConfig withDiscoveredEndpoints(ClientConfig c) {
        SrvDiscovery d = c.discovery().orElseThrow();
        List<String> found = d.lookup();
        if (!found.isEmpty()) {
            return new ClientBuilder(c).endpoints(found).config();
        }
        if (c.endpoints().isEmpty()) {
            throw new DiscoveryException(EtcdException.Code.NOT_FOUND, d.domain(), "DNS discovery in " + d.domain()
                    + " found only insecure (http) endpoints and insecure discovery is off; no endpoint to use");
        }
        return c;
    }

    private static Duration positive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + d);
        }
        return d;
    }
}
