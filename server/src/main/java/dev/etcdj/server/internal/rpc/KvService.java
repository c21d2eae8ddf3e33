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
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.mvcc.KvOps;
import dev.etcdj.server.internal.mvcc.WriteTxn;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.KV. */
public final class KvService extends KVGrpc.KVImplBase {
    private final ServerCore core;

    public KvService(ServerCore core) {
        this.core = core;
    }

    private void checkSize(com.google.protobuf.Message m) {
        if (m.getSerializedSize() > core.config().maxRequestBytes()) {
            throw EtcdException.of(WireError.REQUEST_TOO_LARGE);
        }
    }

    @Override
    public void range(RangeRequest r, StreamObserver<RangeResponse> out) {
        Rpc.reply(out, () -> {
            core.authHook().check("etcdserverpb.KV/Range", r);
            KvOps.checkRange(r);
            RangeResponse resp = core.kv().range(r);
            return resp.toBuilder().setHeader(core.fill(resp.getHeader())).build();
        });
    }

    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> out) {
        Rpc.replyAsync(out, () -> {
            core.authHook().check("etcdserverpb.KV/Put", r);
            KvOps.checkPut(r);
            checkSize(r);
            core.checkQuota(r.getSerializedSize());
            return core.apply(ctx -> {
                WriteTxn txn = core.store().beginWrite(ctx.batch());
                try {
                    return core.kv().put(txn, r);
                } finally {
                    txn.end();
                }
            }).thenApply(resp -> resp.toBuilder().setHeader(core.fill(resp.getHeader())).build());
        });
    }

    @Override
    public void deleteRange(DeleteRangeRequest r, StreamObserver<DeleteRangeResponse> out) {
        Rpc.replyAsync(out, () -> {
            core.authHook().check("etcdserverpb.KV/DeleteRange", r);
            KvOps.checkDelete(r);
            checkSize(r);
            core.checkCorrupt();
            return core.apply(ctx -> {
                WriteTxn txn = core.store().beginWrite(ctx.batch());
                try {
                    return core.kv().deleteRange(txn, r);
                } finally {
                    txn.end();
                }
            }).thenApply(resp -> resp.toBuilder().setHeader(core.fill(resp.getHeader())).build());
        });
    }

    @Override
    public void txn(TxnRequest r, StreamObserver<TxnResponse> out) {
        Rpc.replyAsync(out, () -> {
            core.authHook().check("etcdserverpb.KV/Txn", r);
            KvOps.checkTxn(r, core.config().maxTxnOps());
            if (KvOps.isReadOnly(r)) {
                TxnResponse resp = core.kv().readOnlyTxn(r);
                return java.util.concurrent.CompletableFuture.completedFuture(
                        resp.toBuilder().setHeader(core.fill(resp.getHeader())).build());
            }
            checkSize(r);
            core.checkCorrupt();
            if (KvOps.hasPut(r)) {
                core.checkQuota(r.getSerializedSize());
            }
            return core.apply(ctx -> {
                WriteTxn txn = core.store().beginWrite(ctx.batch());
                try {
                    return core.kv().txn(txn, r);
                } finally {
                    txn.end();
                }
            }).thenApply(resp -> resp.toBuilder().setHeader(core.fill(resp.getHeader())).build());
        });
    }

    @Override
    public void compact(CompactionRequest r, StreamObserver<CompactionResponse> out) {
        Rpc.replyAsync(out, () -> {
            core.authHook().check("etcdserverpb.KV/Compact", r);
            return core.compact(r.getRevision(), r.getPhysical())
                    .thenApply(rev -> CompactionResponse.newBuilder().setHeader(core.header(rev)).build());
        });
    }
}
