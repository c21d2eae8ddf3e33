package dev.etcdj.server.internal.lock;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import dev.etcdj.proto.v3lockpb.LockGrpc;
import dev.etcdj.proto.v3lockpb.LockRequest;
import dev.etcdj.proto.v3lockpb.LockResponse;
import dev.etcdj.proto.v3lockpb.UnlockRequest;
import dev.etcdj.proto.v3lockpb.UnlockResponse;
import dev.etcdj.server.internal.auth.Caller;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * v3lockpb.Lock with etcd's semantics (concurrency.Mutex on an orphaned session): the lock key
 * is {@code name/<lease hex>}, put with the caller's lease; the holder is the key with the lowest
 * create revision under {@code name/}. Lock returns once every older key is gone; if the caller
 * goes away while waiting, its key is deleted.
 */
public final class LockService extends LockGrpc.LockImplBase {
    private final ServerKv kv;

    public LockService(ServerKv kv) {
        this.kv = kv;
    }

    @Override
    public void lock(LockRequest r, StreamObserver<LockResponse> responseObserver) {
        CallerGone gone = new CallerGone(responseObserver);
        Caller caller = Caller.current();
        ServerKv.reply(responseObserver, () -> kv.sessionLease(caller, r.getLease()).thenCompose(lease -> {
            ByteString pfx = r.getName().concat(ByteString.copyFromUtf8("/"));
            ByteString myKey = pfx.concat(ByteString.copyFromUtf8(ServerKv.hex(lease)));
            TxnRequest txn = TxnRequest.newBuilder().addCompare(ServerKv.createRevision(myKey, 0))
                    .addSuccess(ServerKv.put(myKey, ByteString.EMPTY, lease))
                    .addSuccess(ServerKv.get(ServerKv.firstCreate(pfx)))
                    .addFailure(ServerKv.get(dev.etcdj.proto.etcdserverpb.RangeRequest.newBuilder().setKey(myKey)
                            .build()))
                    .addFailure(ServerKv.get(ServerKv.firstCreate(pfx))).build();
            return kv.txn(caller, txn).thenCompose(resp -> acquire(caller, gone, pfx, myKey, resp));
        }));
    }

    private CompletableFuture<LockResponse> acquire(Caller caller, CallerGone gone, ByteString pfx, ByteString myKey,
            TxnResponse resp) {
        long myRev = resp.getSucceeded() ? resp.getHeader().getRevision()
                : resp.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
        var owner = resp.getResponses(1).getResponseRange().getKvsList();
        if (owner.isEmpty() || owner.get(0).getCreateRevision() == myRev) {
            return CompletableFuture.completedFuture(
                    LockResponse.newBuilder().setHeader(resp.getHeader()).setKey(myKey).build());
        }
        // a waiter that gives up releases its place in the queue, as etcd's Mutex.Lock does
        return kv.waitDeletes(caller, pfx, myRev - 1, gone, () -> kv.delete(caller, myKey)).handle((hdr, err) -> {
            if (err != null) {
                kv.delete(caller, myKey);
                throw new java.util.concurrent.CompletionException(err);
            }
            return LockResponse.newBuilder().setHeader(hdr).setKey(myKey).build();
        });
    }

    @Override
    public void unlock(UnlockRequest r, StreamObserver<UnlockResponse> out) {
        Caller caller = Caller.current();
        ServerKv.reply(out, () -> kv.delete(caller, r.getKey())
                .thenApply(h -> UnlockResponse.newBuilder().setHeader(h).build()));
    }
}
