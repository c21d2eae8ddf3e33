package dev.etcdj.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's key-value API. Every call is asynchronous; the future fails with an {@link EtcdException}
 * subtype, and cancelling it cancels the request on the server. Thread-safe and shared by the
 * whole client.
 *
 * <p>A decorator (a namespace, a metrics wrapper, ...) implements {@link #execute}, {@link #commit},
 * {@link #compact(long, boolean)} and {@link #withTimeout}; every other method has a default in
 * terms of those.
 */
public interface KvClient extends CallViews<KvClient> {

    default CompletableFuture<PutResponse> put(String key, String value, PutOption... options) {
        return put(Bytes.of(key), Bytes.of(value), options);
    }

    default CompletableFuture<PutResponse> put(Bytes key, Bytes value, PutOption... options) {
        return OpFutures.narrow(execute(Op.put(key, value, options)), PutResponse.class);
    }

    default CompletableFuture<GetResponse> get(String key, GetOption... options) {
        return get(Bytes.of(key), options);
    }

    default CompletableFuture<GetResponse> get(Bytes key, GetOption... options) {
        return OpFutures.narrow(execute(Op.get(key, options)), GetResponse.class);
    }

    default CompletableFuture<DeleteResponse> delete(String key, DeleteOption... options) {
        return delete(Bytes.of(key), options);
    }

    default CompletableFuture<DeleteResponse> delete(Bytes key, DeleteOption... options) {
        return OpFutures.narrow(execute(Op.delete(key, options)), DeleteResponse.class);
    }

    /** Drops history before {@code revision}; the deletion finishes in the background. */
    default CompletableFuture<CompactResponse> compact(long revision) {
        return compact(revision, false);
    }

    /** With {@code physical}, returns only once the history is gone from the server's storage. */
    CompletableFuture<CompactResponse> compact(long revision, boolean physical);

    /** Runs one op (clientv3's {@code Do}); the response has the op's own type. */
    CompletableFuture<OpResponse> execute(Op op);

    /** A transaction bound to this client: {@code kv.txn().when(...).then(...).orElse(...).commit()}. */
    default Txn txn() {
        return new BoundTxn(this, Op.txn());
    }

    /** Commits a transaction made with {@link Op#txn()}. */
    CompletableFuture<TxnResponse> commit(Op.Txn txn);

    /**
     * A view of this client whose calls use this deadline instead of the client's default.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    KvClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingKvClient blocking() {
        return new BlockingKvClient(this);
    }
}
