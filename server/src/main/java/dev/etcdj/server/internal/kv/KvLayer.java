package dev.etcdj.server.internal.kv;

import com.google.protobuf.Message;
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
import dev.etcdj.server.internal.Alarms;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.Headers;
import dev.etcdj.server.internal.apply.Applier;
import dev.etcdj.server.internal.apply.Proposals;
import dev.etcdj.server.internal.auth.Authorizer;
import dev.etcdj.server.internal.auth.Caller;
import dev.etcdj.server.internal.mvcc.KvOps;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.mvcc.WriteTxn;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * etcd's KV service for a given caller: Range, Put, DeleteRange, Txn and Compact, each run the one
 * way every front end shares (the gRPC KV service, Lock and Election, the HTTP gateway):
 * <ol>
 *   <li>the caller's permission check ({@link Authorizer#check}, keyed on the KV method);</li>
 *   <li>etcd's request validation ({@link KvOps}'s checks, exact errors);</li>
 *   <li>for writes: the request size limit (--max-request-bytes), the CORRUPT alarm, the quota
 *       (for requests that put);</li>
 *   <li>apply (writes go through {@link Proposals}, reads run on the caller's thread);</li>
 *   <li>the response header, filled with this member's ids.</li>
 * </ol>
 * Failures are thrown (reads) or returned as failed futures (writes) as EtcdException or gRPC
 * status exceptions carrying etcd's text; turning them into a gRPC or HTTP answer is the front end's job.
 */
public final class KvLayer {
    private final Authorizer authorizer;
    private final KvOps kv;
    private final MvccStore store;
    private final Proposals proposals;
    private final Alarms alarms;
    private final Compactor compactor;
    private final Headers headers;
    private final int maxTxnOps;
    private final int maxRequestBytes;

    public KvLayer(Authorizer authorizer, KvOps kv, MvccStore store, Proposals proposals, Alarms alarms,
            Compactor compactor, Headers headers, int maxTxnOps, int maxRequestBytes) {
        this.authorizer = authorizer;
        this.kv = kv;
        this.store = store;
        this.proposals = proposals;
        this.alarms = alarms;
        this.compactor = compactor;
        this.headers = headers;
        this.maxTxnOps = maxTxnOps;
        this.maxRequestBytes = maxRequestBytes;
    }

    public RangeResponse range(Caller caller, RangeRequest r) {
        authorizer.check(caller, KVGrpc.getRangeMethod(), r);
        KvOps.checkRange(r);
        RangeResponse resp = kv.range(r);
        return resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build();
    }

    public CompletableFuture<PutResponse> put(Caller caller, PutRequest r) {
        return start(() -> {
            authorizer.check(caller, KVGrpc.getPutMethod(), r);
            KvOps.checkPut(r);
            checkSize(r);
            alarms.checkQuota(r.getSerializedSize());
            return write(kv::put, r).thenApply(resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
        });
    }

    public CompletableFuture<DeleteRangeResponse> deleteRange(Caller caller, DeleteRangeRequest r) {
        return start(() -> {
            authorizer.check(caller, KVGrpc.getDeleteRangeMethod(), r);
            KvOps.checkDelete(r);
            checkSize(r);
            alarms.checkCorrupt();
            return write(kv::deleteRange, r)
                    .thenApply(resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
        });
    }

    /** A Txn; one without writes is answered at once from the published state, like a Range. */
    public CompletableFuture<TxnResponse> txn(Caller caller, TxnRequest r) {
        return start(() -> {
            authorizer.check(caller, KVGrpc.getTxnMethod(), r);
            KvOps.checkTxn(r, maxTxnOps);
            if (KvOps.isReadOnly(r)) {
                TxnResponse resp = kv.readOnlyTxn(r);
                return CompletableFuture.completedFuture(resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
            }
            checkSize(r);
            alarms.checkCorrupt();
            if (KvOps.hasPut(r)) {
                alarms.checkQuota(r.getSerializedSize());
            }
            return write(kv::txn, r).thenApply(resp -> resp.toBuilder().setHeader(headers.fill(resp.getHeader())).build());
        });
    }

    /** etcd's Compact; the work is the {@link Compactor}'s, shared with auto-compaction. */
    public CompletableFuture<CompactionResponse> compact(Caller caller, CompactionRequest r) {
        return start(() -> {
            authorizer.check(caller, KVGrpc.getCompactMethod(), r);
            return compactor.compact(r.getRevision(), r.getPhysical())
                    .thenApply(rev -> CompactionResponse.newBuilder().setHeader(headers.at(rev)).build());
        });
    }

    private void checkSize(Message m) {
        if (m.getSerializedSize() > maxRequestBytes) {
            throw EtcdException.of(WireError.REQUEST_TOO_LARGE);
        }
    }

    /** Runs one write request in its own write transaction (one revision) on the apply thread. */
    private <Q, R> CompletableFuture<R> write(BiFunction<WriteTxn, Q, R> op, Q request) {
        return proposals.propose((Applier.Context ctx) -> {
            WriteTxn txn = store.beginWrite(ctx.batch());
            try {
                return op.apply(txn, request);
            } finally {
                txn.end();
            }
        });
    }

    /** Checks that throw become a failed future, so that writes fail one way only. */
    private static <T> CompletableFuture<T> start(java.util.function.Supplier<CompletableFuture<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
