package dev.etcdj.client;


/**
 * The blocking view of a {@link KvClient}: each call waits for its response and throws the
 * {@link EtcdException} itself, not wrapped.
 */
public final class BlockingKvClient {

    private final KvClient kv;

    BlockingKvClient(KvClient kv) {
        this.kv = kv;
    }

    public PutResponse put(String key, String value, PutOption... options) {
        return Futures.await(kv.put(key, value, options));
    }

    public PutResponse put(Bytes key, Bytes value, PutOption... options) {
        return Futures.await(kv.put(key, value, options));
    }

    public GetResponse get(String key, GetOption... options) {
        return Futures.await(kv.get(key, options));
    }

    public GetResponse get(Bytes key, GetOption... options) {
        return Futures.await(kv.get(key, options));
    }

    public DeleteResponse delete(String key, DeleteOption... options) {
        return Futures.await(kv.delete(key, options));
    }

    public DeleteResponse delete(Bytes key, DeleteOption... options) {
        return Futures.await(kv.delete(key, options));
    }

    public CompactResponse compact(long revision) {
        return Futures.await(kv.compact(revision));
    }

    public CompactResponse compact(long revision, boolean physical) {
        return Futures.await(kv.compact(revision, physical));
    }

    public OpResponse execute(Op op) {
        return Futures.await(kv.execute(op));
    }

    public TxnResponse commit(Op.Txn txn) {
        return Futures.await(kv.commit(txn));
    }

    /** The async client this view waits on. */
    public KvClient async() {
        return kv;
    }

}
