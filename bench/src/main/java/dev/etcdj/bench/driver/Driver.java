package dev.etcdj.bench.driver;

import java.util.concurrent.CompletableFuture;

/**
 * One client connection to etcd, as the load engine sees it: the few calls the workloads make,
 * with keys and values as raw bytes so every client library gets the same input. An
 * implementation converts to its library's types and nothing more, so what is measured is the
 * library. Thread-safe; the engine shares one driver between many concurrent workers.
 */
public interface Driver extends AutoCloseable {

    CompletableFuture<?> put(byte[] key, byte[] value);

    /** A get of one key; {@code serializable} reads the local member without a consensus round. */
    CompletableFuture<?> get(byte[] key, boolean serializable);

    /** A transaction without compares whose success branch is one put (etcd's {@code txn-put}). */
    CompletableFuture<?> txnPut(byte[] key, byte[] value);

    /** Deletes every key starting with the prefix; for cleaning up after a run. */
    CompletableFuture<?> deletePrefix(byte[] prefix);

    /** Grants a lease with a server-chosen ID; completes with the ID. */
    CompletableFuture<Long> grantLease(long ttlSeconds);

    CompletableFuture<?> revokeLease(long leaseId);

    /** One renewal over the keep-alive stream, answered by the server. */
    CompletableFuture<?> keepAliveOnce(long leaseId);

    /** Keeps the lease alive until the handle is closed, telling the sink each renewal and how it ended. */
    AutoCloseable keepAlive(long leaseId, KeepAliveSink sink);

    /** Watches every key starting with the prefix from the next revision on. */
    AutoCloseable watchPrefix(byte[] prefix, WatchSink sink);

    @Override
    void close();

    /** Hears the events of one watch; called on whatever thread the library uses. */
    interface WatchSink {
        /** One put event; {@code value} is the event's value, to be read and not kept. */
        void onPut(byte[] key, ValueReader value);

        void onError(Throwable error);
    }

    /** The value of an event without copying it where the library allows. */
    interface ValueReader {
        int size();

        byte byteAt(int index);
    }

    interface KeepAliveSink {
        void onRenewed();

        /** Any end other than a close by the engine: expiry, error, or a stream completed by the library. */
        void onEnded(String why);
    }
}
