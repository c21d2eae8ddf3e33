package dev.etcdj.client.internal;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.BlockingKvClient;
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
import dev.etcdj.client.TxnResponse;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import io.grpc.MethodDescriptor;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The KV client: encodes ops ({@link KvRequestEncoder}; txns with {@link KvCodec}), runs them through
 * the {@link Transport}, and gets the public records from {@link KvResponseDecoder}.
 */
public final class KvClientImpl extends ServiceView<KvClient> implements KvClient {

    // The hot KV methods with requests encoded by KvRequestEncoder and responses decoded by
    // KvResponseDecoder straight into the public records (no protobuf message on either side);
    // txn requests stay generated messages.
    static final MethodDescriptor<KvRequestEncoder.Encoded, GetResponse> RANGE = KVGrpc.getRangeMethod()
            .toBuilder(KvRequestEncoder.MARSHALLER, KvResponseDecoder.RANGE).build();
    static final MethodDescriptor<KvRequestEncoder.Encoded, PutResponse> PUT = KVGrpc.getPutMethod()
            .toBuilder(KvRequestEncoder.MARSHALLER, KvResponseDecoder.PUT).build();
    static final MethodDescriptor<KvRequestEncoder.Encoded, DeleteResponse> DELETE_RANGE = KVGrpc.getDeleteRangeMethod()
            .toBuilder(KvRequestEncoder.MARSHALLER, KvResponseDecoder.DELETE).build();
    static final MethodDescriptor<TxnRequest, TxnResponse> TXN = KVGrpc.getTxnMethod()
            .toBuilder(KVGrpc.getTxnMethod().getRequestMarshaller(), KvResponseDecoder.TXN).build();

    public KvClientImpl(Transport transport) {
        super(transport, KvClientImpl::new);
    }

    private <T> CompletableFuture<T> call(boolean idempotent, Transport.UnaryCall<T> call) {
        return transport.unary(null, idempotent, call);
    }

    // The Bytes forms go straight to their own call (no extra stage, cancellation reaches gRPC);
    // the String forms are KvClient's defaults over these.

    @Override
    public CompletableFuture<PutResponse> put(Bytes key, Bytes value, PutOption... options) {
        return put(Op.put(key, value, options));
    }

    @Override
    public CompletableFuture<GetResponse> get(Bytes key, GetOption... options) {
        return get(Op.get(key, options));
    }

    @Override
    public CompletableFuture<DeleteResponse> delete(Bytes key, DeleteOption... options) {
        return delete(Op.delete(key, options));
    }

    @Override
    public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
        var request = KvCodec.compactRequest(revision, physical);
        // Compacting twice to the same revision fails with "compacted": not safe to repeat blindly.
        return call(false, (ch, opts) -> map(Transport.UnaryCall.of(KVGrpc.getCompactMethod(), request).start(ch, opts),
                KvCodec::compactResponse));
    }

    @Override
    public CompletableFuture<OpResponse> execute(Op op) {
        Objects.requireNonNull(op, "op");
        // The call's own future, seen as its supertype: no extra stage, so cancelling reaches the
        // call and a thread blocked on it finishes the call itself (see HandOverFuture).
        if (op instanceof Op.Get g) {
            return widen(get(g));
        }
        if (op instanceof Op.Put p) {
            return widen(put(p));
        }
        if (op instanceof Op.Delete d) {
            return widen(delete(d));
        }
        return widen(commit((Op.Txn) op));
    }

    /**
     * A future of a subtype as one of {@link OpResponse}: sound for reading, the only use of the
     * futures we hand out; completing it by hand with another kind of response would be the caller's
     * own type confusion.
     */
    @SuppressWarnings("unchecked")
    private static CompletableFuture<OpResponse> widen(CompletableFuture<? extends OpResponse> f) {
        return (CompletableFuture<OpResponse>) f;
    }

    @Override
    public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
        var request = KvCodec.txnRequest(Objects.requireNonNull(txn, "txn"));
        return call(KvCodec.isReadOnly(txn), Transport.UnaryCall.of(TXN, request));
    }

    CompletableFuture<GetResponse> get(Op.Get op) {
        return call(true, Transport.UnaryCall.of(RANGE, KvRequestEncoder.range(op)));
    }

    CompletableFuture<PutResponse> put(Op.Put op) {
        return call(false, Transport.UnaryCall.of(PUT, KvRequestEncoder.put(op)));
    }

    CompletableFuture<DeleteResponse> delete(Op.Delete op) {
        return call(false, Transport.UnaryCall.of(DELETE_RANGE, KvRequestEncoder.delete(op)));
    }

    /**
     * Converts on the thread that completes the call. Cancelling the mapped future cancels the gRPC
     * call too (Guava's transform propagates cancellation to its input).
     */
    private static <P, R> ListenableFuture<R> map(ListenableFuture<P> call, Function<P, R> decode) {
        return Futures.transform(call, decode::apply, MoreExecutors.directExecutor());
    }
}
