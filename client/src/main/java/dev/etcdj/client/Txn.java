package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/**
 * A transaction being built against a client: {@code when} the compares hold, {@code then} ops run,
 * otherwise the {@code orElse} ops. Immutable: each step returns a new Txn.
 */
public interface Txn {

    Txn when(Cmp... compares);

    Txn then(Op... ops);

    Txn orElse(Op... ops);

    /** The transaction as a value, e.g. to nest it in another one. */
    Op.Txn toOp();

    CompletableFuture<TxnResponse> commit();
}
