package dev.etcdj.client;

/**
 * A client of an etcd cluster (or of one etcd, or of the embedded etcdj server): immutable,
 * thread-safe and meant to be shared. Made by {@link #builder()}; {@link #close()} releases every
 * thread and connection it holds.
 * <pre>{@code
 * try (EtcdClient client = EtcdClient.builder().endpoints("http://127.0.0.1:2379").build()) {
 *     client.kv().put("foo", "bar").join();
 * }
 * }</pre>
 */
public interface EtcdClient extends AutoCloseable {

    static ClientBuilder builder() {
        return new ClientBuilder();
    }

    /**
     * A client of the one endpoint at {@code url}, with every other setting at its default: Go's
     * {@code NewFromURL}.
     *
     * @param url {@code http://host:port}, {@code https://host:port} or {@code host:port}
     * @return a new client; close it
     * @throws InvalidEndpointException when {@code url} is not an endpoint
     */
    static EtcdClient fromUrl(String url) {
        return builder().endpoints(url).build();
    }

    /**
     * A client of the endpoints in {@code urls}, with every other setting at its default: Go's
     * {@code NewFromURLs}.
     *
     * @param urls the endpoints, as {@link ClientBuilder#endpoints(String...)} takes them
     * @return a new client; close it
     * @throws InvalidEndpointException when one is not an endpoint
     */
    static EtcdClient fromUrls(String... urls) {
        return builder().endpoints(urls).build();
    }

    /** The configuration this client was built with. */
    ClientConfig config();

    /**
     * A JSSE context with this client's TLS material (the trusted CAs, the client certificate, and
     * {@link TlsConfig#insecureSkipVerify()}), for HTTP requests to the same members: their
     * {@code /metrics}, {@code /health} or JSON gateway, e.g. through {@code java.net.http.HttpClient}.
     * Files are read when it is made; it does not follow later rotations (ask again for those). The
     * {@link TlsConfig#authority()} override is not part of it: HTTP clients check the URL's host.
     *
     * @return the context; empty when the client has no TLS configuration (the JVM's default applies)
     * @throws IllegalArgumentException when the TLS material cannot be read
     */
    java.util.Optional<javax.net.ssl.SSLContext> sslContext();

    /** A builder that starts from this client's configuration. */
    default ClientBuilder toBuilder() {
        return new ClientBuilder(config());
    }

    /**
     * The endpoints the client uses now: those it was built with until {@link #sync()} or
     * {@link #setEndpoints} changed them.
     *
     * @return the endpoints, in order
     */
    java.util.List<String> endpoints();

    /**
     * Uses these endpoints from now on, as Go's {@code SetEndpoints}: connections to endpoints kept
     * stay; calls under way on a dropped one may finish there, and watch and keep-alive streams
     * there move to the new endpoints within the request timeout.
     *
     * @param endpoints the endpoints, at least one, as {@link ClientBuilder#endpoints(String...)}
     *     takes them
     * @throws InvalidEndpointException when one is not an endpoint (the endpoints stay as they were)
     * @throws IllegalArgumentException when there is none
     */
    void setEndpoints(java.util.List<String> endpoints);

    /**
     * Refreshes the endpoints from the cluster's member list, as Go's {@code Sync}: the client URLs
     * of every member that has started (has a name) and is not a learner. A member list without any
     * client URL leaves the endpoints as they are.
     *
     * @return the endpoints from now on
     */
    java.util.concurrent.CompletableFuture<java.util.List<String>> sync();

    /**
     * A new client of the one member at {@code endpoint}, with this client's settings otherwise (no
     * auto sync): for what is about one member, as Go's {@code Dial} is. The endpoint need not be
     * one of this client's. Close it when done; closing it leaves this client alone.
     *
     * @param endpoint the member's client URL
     * @return a new client that talks to that member alone
     * @throws InvalidEndpointException when {@code endpoint} is not an endpoint
     */
    default EtcdClient forEndpoint(String endpoint) {
        return toBuilder().endpoints(endpoint).autoSyncInterval(java.time.Duration.ZERO).rejectOldCluster(false)
                .build();
    }

    KvClient kv();

    LeaseClient lease();

    WatchClient watch();

    ClusterClient cluster();

    MaintenanceClient maintenance();

    AuthClient auth();

    /** etcd's lock service: distributed locks held by the server on the caller's lease. */
    LockClient lock();

    /** etcd's election service: leader elections run by the server on the caller's lease. */
    ElectionClient election();

    /** Closes every connection and stream; calls still running fail with {@link ClientClosedException}. Idempotent. */
    @Override
    void close();
}
