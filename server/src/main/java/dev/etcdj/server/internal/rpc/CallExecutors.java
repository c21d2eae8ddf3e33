package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.etcdserverpb.KVGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where each gRPC call of a client listener runs. The listeners' executor is direct (the call
 * starts on its connection's Netty event loop); this supplier moves every call to a thread pool
 * except the writes that only check and queue: Put and DeleteRange validate the request, check
 * permissions and quota, and hand it to the apply thread, all without blocking, so they stay on
 * the event loop. Measured with 100 concurrent putters (etcd's Go client): the hop to a pool
 * thread and back cost about a third of the server's CPU per put, most of it waking and parking
 * the pool's threads (one per call in flight). Everything else (reads, which may scan much of the
 * store; read-only Txns; streams; auth, whose password checks take tens of milliseconds;
 * maintenance) runs on the pool, as it did on gRPC's default executor: an event loop must never
 * wait, or every call on its connections waits with it.
 */
final class CallExecutors implements ServerCallExecutorSupplier, AutoCloseable {
    /** Full method names that run on the event loop; each must neither block nor run long. */
    private static final Set<String> ON_EVENT_LOOP = Set.of(
            KVGrpc.getPutMethod().getFullMethodName(),
            KVGrpc.getDeleteRangeMethod().getFullMethodName());

    private final ExecutorService pool;

    CallExecutors() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "etcdj-grpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Unbounded and cached, as gRPC's default executor: a call that blocks (a lock wait, a
        // watch catching up) never holds up another.
        this.pool = Executors.newCachedThreadPool(threads);
    }

    @Override
    public <Q, R> java.util.concurrent.Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        return ON_EVENT_LOOP.contains(call.getMethodDescriptor().getFullMethodName()) ? null : pool;
    }

    /** Stops the pool once the servers have stopped; a task still running is interrupted. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
