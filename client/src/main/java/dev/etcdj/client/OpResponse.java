package dev.etcdj.client;

/** The result of one {@link Op}: what {@link KvClient#execute(Op)} returns and a txn holds per op. */
public sealed interface OpResponse permits GetResponse, PutResponse, DeleteResponse, TxnResponse {
    ResponseHeader header();
}
