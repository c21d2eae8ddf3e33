package dev.etcdj.recipes;

import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.TxnResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A KV view that never goes back in revision, as Go's {@code clientv3/ordering}: it remembers the
 * highest revision any of its responses carried, and a read (a get or a txn) answered at an older
 * revision, by a member that fell behind after a failover, is not returned. The
 * {@link ViolationHandler} decides: return to retry the read, or throw to fail it. Writes pass through
 * and only raise the remembered revision.
 * <pre>{@code
 * KvClient kv = OrderedKv.wrap(client.kv(), OrderedKv.retrying(10, Duration.ofMillis(50)));
 * }</pre>
 * Serializable reads are where this matters: a linearizable read always reflects the latest revision.
 */
public final class OrderedKv extends Wrapper<KvClient> implements KvClient {

    /** Called when a read was answered below the revision already seen. */
    @FunctionalInterface
    public interface ViolationHandler {
        /**
         * Returns how long to wait before retrying {@code op} ({@link Duration#ZERO} for at once);
         * throws (for example {@link OrderViolationException}) to fail the read with that exception.
         *
         * @param op the read that went back in time
         * @param response the stale response
         * @param previousRevision the highest revision seen before the read was sent
         * @param violation how many times this read has now gone back in time (1 for the first)
         */
        Duration onViolation(Op op, OpResponse response, long previousRevision, int violation);
    }

    /** No member had caught up after the handler's retries (Go's {@code ordering.ErrNoGreaterRev}). */
    public static final class OrderViolationException extends EtcdException {
        public OrderViolationException() {
            super(Code.UNAVAILABLE, "etcdclient: no cluster members have a revision higher than the previously "
                    + "received revision");
        }
    }

    private final ViolationHandler handler;
    private final AtomicLong previous;

    private OrderedKv(KvClient kv, ViolationHandler handler, AtomicLong previous) {
        // Same remembered revision: a view with other call settings is still the same reader.
        super(kv, view -> new OrderedKv(view, handler, previous));
        this.handler = handler;
        this.previous = previous;
    }

    public static OrderedKv wrap(KvClient kv, ViolationHandler handler) {
        return new OrderedKv(Objects.requireNonNull(kv, "kv"), Objects.requireNonNull(handler, "handler"),
                new AtomicLong());
    }

    /**
     * A handler that retries each read up to {@code attempts} times, pausing {@code pause} before each
     * retry (a lagging member usually catches up within a heartbeat), then fails the read with
     * {@link OrderViolationException}. Go's endpoint-switching closure gives up after five rounds of
     * the endpoints in the same way.
     */
    public static ViolationHandler retrying(int attempts, Duration pause) {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
        Objects.requireNonNull(pause, "pause");
        return (op, response, previousRevision, violation) -> {
            if (violation > attempts) {
                throw new OrderViolationException();
            }
            return pause;
        };
    }

    /** The highest revision this view has seen. */
    public long lastRevision() {
        return previous.get();
    }

    @Override
    public CompletableFuture<OpResponse> execute(Op op) {
        if (op instanceof Op.Get || op instanceof Op.Txn) {
            return read(op, previous.get(), 0, () -> inner.execute(op));
        }
        return inner.execute(op).thenApply(this::seen);
    }

    @Override
    public CompletableFuture<TxnResponse> commit(Op.Txn txn) {
        return read(txn, previous.get(), 0, () -> inner.commit(txn).thenApply(r -> (OpResponse) r))
                .thenApply(TxnResponse.class::cast);
    }

    @Override
    public CompletableFuture<CompactResponse> compact(long revision, boolean physical) {
        return inner.compact(revision, physical);
    }


    /** Sends the read until it is answered at or above {@code floor}, the revision seen when it started. */
    private CompletableFuture<OpResponse> read(Op op, long floor, int violations,
                                               java.util.function.Supplier<CompletableFuture<OpResponse>> send) {
        return send.get().thenCompose(resp -> {
            if (resp.header().revision() >= floor) {
                return CompletableFuture.completedFuture(seen(resp));
            }
            Duration pause = handler.onViolation(op, resp, floor, violations + 1);
            if (pause.isZero() || pause.isNegative()) {
                return read(op, floor, violations + 1, send);
            }
            // Wait without holding a thread: the member that answered may need a moment to catch up.
            Executor later = CompletableFuture.delayedExecutor(pause.toNanos(), TimeUnit.NANOSECONDS);
            return CompletableFuture.supplyAsync(() -> read(op, floor, violations + 1, send), later).thenCompose(f -> f);
        });
    }

    private OpResponse seen(OpResponse resp) {
        previous.accumulateAndGet(resp.header().revision(), Math::max);
        return resp;
    }

    @Override
    public String toString() {
        return "OrderedKv{" + inner + ", lastRevision=" + previous.get() + "}";
    }
}
