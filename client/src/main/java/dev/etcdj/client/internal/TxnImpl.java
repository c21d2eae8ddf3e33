package dev.etcdj.client.internal;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.Op;
import dev.etcdj.client.Txn;
import dev.etcdj.client.TxnResponse;
import java.util.concurrent.CompletableFuture;

/** A transaction bound to a KV client: an immutable {@link Op.Txn} plus where to commit it. */
final class TxnImpl implements Txn {

    private final KvClientImpl kv;
    private final Op.Txn txn;

    TxnImpl(KvClientImpl kv, Op.Txn txn) {
        this.kv = kv;
        this.txn = txn;
    }

    @Override
    public Txn when(Cmp... compares) {
        return new TxnImpl(kv, txn.when(compares));
    }

    @Override
    public Txn then(Op... ops) {
        return new TxnImpl(kv, txn.then(ops));
    }

    @Override
    public Txn orElse(Op... ops) {
        return new TxnImpl(kv, txn.orElse(ops));
    }

    @Override
    public Op.Txn toOp() {
        return txn;
    }

    @Override
    public CompletableFuture<TxnResponse> commit() {
        return kv.commit(txn);
    }
}
