package dev.etcdj.server.internal.lock;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.server.internal.Alarms;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.auth.Authorizer;
import dev.etcdj.server.internal.auth.Caller;
import dev.etcdj.server.internal.kv.KvLayer;
import dev.etcdj.server.internal.lease.Lessor;
import dev.etcdj.server.internal.rpc.Rpc;
import dev.etcdj.server.internal.watch.WatchHub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What etcd's Lock and Election servers do through their embedded client, done directly on this
 * server's KV and watch machinery: Txn/Range/Delete with the caller's auth checks (the token is
 * taken from the captured gRPC context), lease sessions and etcd's {@code waitDeletes}.
 */
public final class ServerKv {
    /** etcd's concurrency.Session default TTL, used when a request names no lease. */
    public static final long SESSION_TTL = 60;

    private final KvLayer kv;
    private final Lessor lessor;
    private final Alarms alarms;
    private final Authorizer authorizer;
    private final WatchHub hub;
    /** Grows to one thread while lock/election work is pending and dies when idle. */
    private final Executor executor = new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "etcdj-lock-election");
                t.setDaemon(true);
                return t;
            });

    public ServerKv(KvLayer kv, Lessor lessor, Alarms alarms, Authorizer authorizer, WatchHub hub) {
        this.kv = kv;
        this.lessor = lessor;
        this.alarms = alarms;
        this.authorizer = authorizer;
        this.hub = hub;
    }

    public Executor executor() {
        return executor;
    }

    // ---------------------------------------------------------------- KV as the caller

    public CompletableFuture<TxnResponse> txn(Caller caller, TxnRequest r) {
        return kv.txn(caller, r);
    }

    public RangeResponse range(Caller caller, RangeRequest r) {
        return kv.range(caller, r);
    }

    public CompletableFuture<ResponseHeader> delete(Caller caller, ByteString key) {
        return kv.deleteRange(caller, DeleteRangeRequest.newBuilder().setKey(key).build())
                .thenApply(DeleteRangeResponse::getHeader);
    }

    /** The lease to use: the given one, or (lease 0) a new one with the session TTL, like etcd. */
    public CompletableFuture<Long> sessionLease(Caller caller, long lease) {
        if (lease != 0) {
            return CompletableFuture.completedFuture(lease);
        }
        try {
            authorizer.check(caller, LeaseGrpc.getLeaseGrantMethod(),
                    LeaseGrantRequest.newBuilder().setTTL(SESSION_TTL).build());
            alarms.checkQuota(0);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return lessor.grant(0, SESSION_TTL).thenApply(g -> g[0]);
    }

    /** A watch inside the server (not checked: etcd's Lock and Election watch with their own client). */
    public LocalWatch watch(WatchCreateRequest request, Executor callbacks, Consumer<WatchResponse> onEvents,
            Consumer<Throwable> onFailure) {
        return LocalWatch.open(hub, request, callbacks, onEvents, onFailure);
    }

    // ---------------------------------------------------------------- request builders

    public static ByteString prefixEnd(ByteString prefix) {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = java.util.Arrays.copyOf(b, i + 1);
                end[i]++;
                return ByteString.copyFrom(end);
            }
        }
        return ByteString.copyFrom(new byte[] {0});
    }

    /** Go's fmt "%x" of an int64 lease id. */
    public static String hex(long lease) {
        return Long.toString(lease, 16);
    }

    /** The oldest key under the prefix (clientv3 WithFirstCreate). */
    public static RangeRequest firstCreate(ByteString prefix) {
        return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix)).setLimit(1)
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.ASCEND).build();
    }

    public static Compare createRevision(ByteString key, long rev) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(rev).build();
    }

    public static RequestOp put(ByteString key, ByteString value, long lease) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease))
                .build();
    }

    public static RequestOp get(RangeRequest r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    public static RequestOp delete(ByteString key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build();
    }

    // ---------------------------------------------------------------- waiting

    /** A wait in progress; {@link #cancel()} stops it (the future then never completes). */
    public interface Wait {
        void cancel();
    }

    /**
     * etcd's waitDeletes: completes with the header of the read that found no key under the prefix
     * with create revision ≤ maxCreateRev. One watch on the prefix (from just after each check)
     * triggers a new check whenever something under the prefix is deleted.
     */
    public Wait waitDeletes(Caller caller, ByteString prefix, long maxCreateRev,
            CompletableFuture<ResponseHeader> done) {
        RangeRequest check = RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setMaxCreateRevision(maxCreateRev).setLimit(1).setSortTarget(RangeRequest.SortTarget.CREATE)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).build();
        WaitState w = new WaitState();
        Runnable recheck = new Runnable() {
            @Override
            public void run() {
                if (w.cancelled || done.isDone()) {
                    return;
                }
                RangeResponse resp;
                try {
                    resp = range(caller, check);
                } catch (RuntimeException e) {
                    w.close();
                    done.completeExceptionally(e);
                    return;
                }
                if (resp.getKvsCount() == 0) {
                    w.close();
                    done.complete(resp.getHeader());
                    return;
                }
                synchronized (w) {
                    if (w.watch != null || w.cancelled) {
                        return;
                    }
                    Runnable self = this;
                    WatchCreateRequest wr = WatchCreateRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                            .setStartRevision(resp.getHeader().getRevision() + 1)
                            .addFilters(WatchCreateRequest.FilterType.NOPUT).build();
                    w.watch = watch(wr, executor, (WatchResponse ev) -> {
                        for (Event e : ev.getEventsList()) {
                            if (e.getType() == Event.EventType.DELETE) {
                                self.run();
                                return;
                            }
                        }
                    }, t -> {
                        w.close();
                        done.completeExceptionally(t);
                    });
                }
            }
        };
        executor.execute(recheck);
        return w;
    }

    /**
     * {@link #waitDeletes} for a call whose caller may go away while it waits: then the wait stops
     * and, unless it has ended, {@code withdraw} gives up the caller's place, as etcd's Mutex.Lock
     * and Campaign do when their context is cancelled.
     */
    public CompletableFuture<ResponseHeader> waitDeletes(Caller caller, ByteString prefix, long maxCreateRev,
            CallerGone gone, Runnable withdraw) {
        CompletableFuture<ResponseHeader> done = new CompletableFuture<>();
        Wait wait = waitDeletes(caller, prefix, maxCreateRev, done);
        gone.then(() -> {
            wait.cancel();
            if (!done.isDone()) {
                withdraw.run();
            }
        });
        return done;
    }

    private static final class WaitState implements Wait {
        LocalWatch watch;
        volatile boolean cancelled;

        synchronized void close() {
            if (watch != null) {
                watch.close();
            }
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            close();
        }
    }

    // ---------------------------------------------------------------- replies

    /**
     * etcd's Lock and Election servers return their embedded client's errors as plain Go errors,
     * so clients see gRPC Unknown with the etcd text (e.g. "etcdserver: requested lease not found").
     */
    public static StatusRuntimeException unknown(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof StatusRuntimeException s) {
            Status.Code c = s.getStatus().getCode();
            if (c == Status.Code.UNKNOWN || c == Status.Code.CANCELLED || c == Status.Code.DEADLINE_EXCEEDED) {
                return s;
            }
            return Status.UNKNOWN.withDescription(s.getStatus().getDescription()).asRuntimeException();
        }
        if (t instanceof EtcdException e) {
            if (e.error().code() == Status.Code.UNAVAILABLE) {
                return e.toStatus();
            }
            return Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException();
        }
        return Status.UNKNOWN.withDescription(String.valueOf(t.getMessage())).withCause(t).asRuntimeException();
    }

    /** Completes a unary call from a future, its failure told as etcd's embedded client would. */
    public static <T> void reply(StreamObserver<T> out, Supplier<CompletableFuture<T>> body) {
        Rpc.replyAsync(out, body, ServerKv::unknown);
    }

}
