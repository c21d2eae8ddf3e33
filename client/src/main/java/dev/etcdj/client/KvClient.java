package dev.etcdj.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's key-value API. Every call is asynchronous; the future fails with an {@link EtcdException}
 * subtype, and cancelling it cancels the request on the server. Thread-safe and shared by the
 * whole client.
 */
public interface KvClient {

    CompletableFuture<PutResponse> put(String key, String value, PutOption... options);

    CompletableFuture<PutResponse> put(Bytes key, Bytes value, PutOption... options);

    CompletableFuture<GetResponse> get(String key, GetOption... options);

    CompletableFuture<GetResponse> get(Bytes key, GetOption... options);

    CompletableFuture<DeleteResponse> delete(String key, DeleteOption... options);

    CompletableFuture<DeleteResponse> delete(Bytes key, DeleteOption... options);

    /** Drops history before {@code revision}; the deletion finishes in the background. */
    CompletableFuture<CompactResponse> compact(long revision);

    /** With {@code physical}, returns only once the history is gone from the server's storage. */
    CompletableFuture<CompactResponse> compact(long revision, boolean physical);

    /** Runs one op (clientv3's {@code Do}); the response has the op's own type. */
    CompletableFuture<OpResponse> execute(Op op);

    /** A transaction bound to this client: {@code kv.txn().when(...).then(...).orElse(...).commit()}. */
    Txn txn();

    /** Commits a transaction made with {@link Op#txn()}. */
    CompletableFuture<TxnResponse> commit(Op.Txn txn);

    /** A view of this client whose calls use this deadline instead of the client's default. */
    KvClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingKvClient blocking() {
        return new BlockingKvClient(this);
    }
}
