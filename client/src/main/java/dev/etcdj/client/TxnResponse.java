package dev.etcdj.client;

import java.util.List;

/**
 * A transaction's result: whether every compare held ({@code succeeded}), and one response per op
 * of the branch that ran, in order.
 */
public record TxnResponse(ResponseHeader header, boolean succeeded, List<OpResponse> responses) implements OpResponse {
    public TxnResponse {
        responses = List.copyOf(responses);
    }

    /** The i-th op's response as a get response; fails when that op was not a get. */
    public GetResponse getResponse(int i) {
        return (GetResponse) responses.get(i);
    }

    public PutResponse putResponse(int i) {
        return (PutResponse) responses.get(i);
    }

    public DeleteResponse deleteResponse(int i) {
        return (DeleteResponse) responses.get(i);
    }

    public TxnResponse txnResponse(int i) {
        return (TxnResponse) responses.get(i);
    }
}
