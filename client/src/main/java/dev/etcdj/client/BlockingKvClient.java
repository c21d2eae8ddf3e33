package dev.etcdj.client;

/**
 * The blocking view of a {@link KvClient}: each call waits for its response and throws the
 * {@link EtcdException} itself, not wrapped (see {@link Futures#await}).
 */
public final class BlockingKvClient extends BlockingBase<KvClient, BlockingKvClient> {

    BlockingKvClient(KvClient kv) {
        super(kv, KvClient::blocking);
    }

    public PutResponse put(String key, String value, PutOption... options) {
        return Futures.await(async.put(key, value, options));
    }

    public PutResponse put(Bytes key, Bytes value, PutOption... options) {
        return Futures.await(async.put(key, value, options));
    }

    public GetResponse get(String key, GetOption... options) {
        return Futures.await(async.get(key, options));
    }

    public GetResponse get(Bytes key, GetOption... options) {
        return Futures.await(async.get(key, options));
    }

    public DeleteResponse delete(String key, DeleteOption... options) {
        return Futures.await(async.delete(key, options));
    }

    public DeleteResponse delete(Bytes key, DeleteOption... options) {
        return Futures.await(async.delete(key, options));
    }

    public CompactResponse compact(long revision) {
        return Futures.await(async.compact(revision));
    }

    public CompactResponse compact(long revision, boolean physical) {
        return Futures.await(async.compact(revision, physical));
    }

    public OpResponse execute(Op op) {
        return Futures.await(async.execute(op));
    }

    public TxnResponse commit(Op.Txn txn) {
        return Futures.await(async.commit(txn));
    }
}
