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

    /** The configuration this client was built with. */
    ClientConfig config();

    /** A builder that starts from this client's configuration. */
    default ClientBuilder toBuilder() {
        return new ClientBuilder(config());
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
