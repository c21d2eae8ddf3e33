package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/** A transaction bound to the KV client that commits it: the default {@link KvClient#txn()}. */
record BoundTxn(KvClient kv, Op.Txn txn) implements Txn {

    @Override
    public Txn when(Cmp... compares) {
        return new BoundTxn(kv, txn.when(compares));
    }

    @Override
    public Txn then(Op... ops) {
        return new BoundTxn(kv, txn.then(ops));
    }

    @Override
    public Txn orElse(Op... ops) {
        return new BoundTxn(kv, txn.orElse(ops));
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
