package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.CompactionResponse;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import dev.etcdj.server.internal.auth.Caller;
import dev.etcdj.server.internal.kv.KvLayer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.KV: the KV layer, for the caller the auth interceptor found. */
public final class KvService extends KVGrpc.KVImplBase {
    private final KvLayer kv;

    public KvService(KvLayer kv) {
        this.kv = kv;
    }

    @Override
    public void range(RangeRequest r, StreamObserver<RangeResponse> out) {
        Rpc.reply(out, () -> kv.range(Caller.current(), r));
    }

    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> out) {
        Rpc.replyAsync(out, () -> kv.put(Caller.current(), r));
    }

    @Override
    public void deleteRange(DeleteRangeRequest r, StreamObserver<DeleteRangeResponse> out) {
        Rpc.replyAsync(out, () -> kv.deleteRange(Caller.current(), r));
    }

    @Override
    public void txn(TxnRequest r, StreamObserver<TxnResponse> out) {
        Rpc.replyAsync(out, () -> kv.txn(Caller.current(), r));
    }

    @Override
    public void compact(CompactionRequest r, StreamObserver<CompactionResponse> out) {
        Rpc.replyAsync(out, () -> kv.compact(Caller.current(), r));
    }
}
