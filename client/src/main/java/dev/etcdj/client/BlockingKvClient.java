package dev.etcdj.client;

/**
 * The blocking view of a {@link KvClient}: each call waits for its response and throws the
 * {@link EtcdException} itself, not wrapped (see {@link Futures#await}).
 */
public class BlockingKvClient extends BlockingBase<KvClient, BlockingKvClient> {

    /** What the calls go through: for the client's own KV, a twin whose answers wake the caller directly. */
    private final KvClient waitOn;

    BlockingKvClient(KvClient kv) {
        this(kv, kv);
    }

    /**
     * For the client's implementation: calls go through {@code waitOn}, a twin of {@code kv} (same
     * endpoints and deadline) whose futures only the blocked caller ever sees, so they may complete
     * on a network thread and save a thread hand-off per call.
     */
    protected BlockingKvClient(KvClient kv, KvClient waitOn) {
        super(kv, KvClient::blocking);
        this.waitOn = waitOn;
    }

    public PutResponse put(String key, String value, PutOption... options) {
        return Futures.await(waitOn.put(key, value, options));
    }

    public PutResponse put(Bytes key, Bytes value, PutOption... options) {
        return Futures.await(waitOn.put(key, value, options));
    }

    public GetResponse get(String key, GetOption... options) {
        return Futures.await(waitOn.get(key, options));
    }

    public GetResponse get(Bytes key, GetOption... options) {
        return Futures.await(waitOn.get(key, options));
    }

    public DeleteResponse delete(String key, DeleteOption... options) {
        return Futures.await(waitOn.delete(key, options));
    }

    public DeleteResponse delete(Bytes key, DeleteOption... options) {
        return Futures.await(waitOn.delete(key, options));
    }

    public CompactResponse compact(long revision) {
        return Futures.await(waitOn.compact(revision));
    }

    public CompactResponse compact(long revision, boolean physical) {
        return Futures.await(waitOn.compact(revision, physical));
    }

    public OpResponse execute(Op op) {
        return Futures.await(waitOn.execute(op));
    }

    public TxnResponse commit(Op.Txn txn) {
        return Futures.await(waitOn.commit(txn));
    }
}
