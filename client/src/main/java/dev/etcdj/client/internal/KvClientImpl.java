package dev.etcdj.client.internal;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.DeleteOption;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetOption;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutOption;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.Txn;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The KV client: encodes ops with {@link KvCodec} and runs them through the {@link Transport}. */
public final class KvClientImpl implements KvClient, BlockingWaits {

    private final Transport transport;
    /** Null means the client's default request timeout. */
    private final Duration timeout;
    /** Futures only a blocked thread waits on: see {@link Transport#unaryForWaiter}. */
    private final boolean forWaiters;

    public KvClientImpl(Transport transport) {
        this(transport, null, false);
    }

    private KvClientImpl(Transport transport, Duration timeout, boolean forWaiters) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timeout = timeout;
        this.forWaiters = forWaiters;
    }

    @Override
    public KvClient forBlockingWaits() {
        return forWaiters ? this : new KvClientImpl(transport, timeout, true);
    }

    private <T> CompletableFuture<T> call(boolean idempotent, Transport.UnaryCall<T> call) {
        return forWaiters ? transport.unaryForWaiter(timeout, idempotent, call) : transport.unary(timeout, idempotent, call);
    }

    @Override
    public CompletableFuture<PutResponse> put(String key, String value, PutOption... options) {
        return put(Op.put(key, value, options));
    }

    @Override
    public CompletableFuture<PutResponse> put(Bytes key, Bytes value, PutOption... options) {
        return put(Op.put(key, value, options));
    }

    @Override
    public CompletableFuture<GetResponse> get(String key, GetOption... options) {
        return get(Op.get(key, options));
    }

    @Override
    public CompletableFuture<GetResponse> get(Bytes key, GetOption... options) {
        return get(Op.get(key, options));
    }

    @Override
    public CompletableFuture<DeleteResponse> delete(String key, DeleteOption... options) {
        return delete(Op.delete(key, options));
    }

    @Override
    public CompletableFuture<DeleteResponse> delete(Bytes key, DeleteOption... options) {
        return delete(Op.delete(key, options));
    }

    @Override
    public CompletableFuture<CompactResponse> compact(long revision) {
        return compact(revision, false);
    }

    @Override
    public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
        var request = KvCodec.compactRequest(revision, physical);
        // Compacting twice to the same revision fails with "compacted": not safe to repeat blindly.
        return call(false, (ch, opts) ->
                map(unaryCall(ch, opts, KVGrpc.getCompactMethod(), request), KvCodec::compactResponse));
    }

    @Override
    public CompletableFuture<OpResponse> execute(Op op) {
        Objects.requireNonNull(op, "op");
        if (op instanceof Op.Get g) {
            return get(g).thenApply(r -> r);
        }
        if (op instanceof Op.Put p) {
            return put(p).thenApply(r -> r);
        }
        if (op instanceof Op.Delete d) {
            return delete(d).thenApply(r -> r);
        }
        return commit((Op.Txn) op).thenApply(r -> r);
    }

    @Override
    public Txn txn() {
        return new TxnImpl(this, Op.txn());
    }

    @Override
    public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
        var request = KvCodec.txnRequest(Objects.requireNonNull(txn, "txn"));
        return call(KvCodec.isReadOnly(txn), (ch, opts) ->
                map(unaryCall(ch, opts, KVGrpc.getTxnMethod(), request), KvCodec::txnResponse));
    }

    @Override
    public KvClient withTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new KvClientImpl(transport, timeout, forWaiters);
    }

    CompletableFuture<GetResponse> get(Op.Get op) {
        var request = KvCodec.rangeRequest(op);
        return call(true, (ch, opts) ->
                map(unaryCall(ch, opts, KVGrpc.getRangeMethod(), request), KvCodec::getResponse));
    }

    CompletableFuture<PutResponse> put(Op.Put op) {
        var request = KvCodec.putRequest(op);
        return call(false, (ch, opts) ->
                map(unaryCall(ch, opts, KVGrpc.getPutMethod(), request), KvCodec::putResponse));
    }

    CompletableFuture<DeleteResponse> delete(Op.Delete op) {
        var request = KvCodec.deleteRequest(op);
        return call(false, (ch, opts) ->
                map(unaryCall(ch, opts, KVGrpc.getDeleteRangeMethod(), request), KvCodec::deleteResponse));
    }

    /** Starts a unary call straight on the channel: no stub object per call. */
    static <Q, P> ListenableFuture<P> unaryCall(Channel ch, CallOptions opts, MethodDescriptor<Q, P> method, Q request) {
        return ClientCalls.futureUnaryCall(ch.newCall(method, opts), request);
    }

    /**
     * Decodes on the thread that completes the call. Cancelling the mapped future cancels the gRPC
     * call too (Guava's transform propagates cancellation to its input).
     */
    private static <P, R> ListenableFuture<R> map(ListenableFuture<P> call, Function<P, R> decode) {
        return Futures.transform(call, decode::apply, MoreExecutors.directExecutor());
    }
}
