package dev.etcdj.recipes;

import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A KV for the unit tests of the KV wrappers: records what it is sent and answers each op at once
 * with a response of its kind holding {@link #answer}; its views are itself.
 */
abstract class FakeKv implements KvClient {

    final List<Object> sent = new ArrayList<>();
    List<KeyValue> answer = List.of();

    /** The header of the next answer. */
    ResponseHeader nextHeader() {
        return ResponseHeader.EMPTY;
    }

    @Override
    public CompletableFuture<OpResponse> execute(Op op) {
        sent.add(op);
        ResponseHeader h = nextHeader();
        OpResponse r;
        if (op instanceof Op.Get) {
            r = new GetResponse(h, answer, false, answer.size());
        } else if (op instanceof Op.Put) {
            r = new PutResponse(h, answer.stream().findFirst());
        } else if (op instanceof Op.Delete) {
            r = new DeleteResponse(h, answer.size(), answer);
        } else {
            r = new TxnResponse(h, true, List.of());
        }
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public KvClient withTimeout(Duration timeout) {
        return this;
    }

    @Override
    public KvClient withRequireLeader() {
        return this;
    }
}
