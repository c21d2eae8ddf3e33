package dev.etcdj.server.internal.lock;

import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.internal.SerialExecutor;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.watch.WatchHub;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A watcher inside the server: it opens a stream on the server's own {@link WatchHub} (the same
 * machinery that serves clients) with an in-process observer, so Lock and Election wait for
 * deletions without polling and without a client connection. Responses arrive on hub threads;
 * they are handed to {@code executor} so listeners may read the store.
 */
public final class LocalWatch implements AutoCloseable {
    private final WatchHub.StreamHandle handle;

    private LocalWatch(WatchHub.StreamHandle handle) {
        this.handle = handle;
    }

    /**
     * Starts watching; {@code onEvents} gets every response carrying events, {@code onFailure} a
     * cancellation by the server (compaction, shutdown). Both run on {@code executor}, in order.
     */
    public static LocalWatch open(WatchHub hub, WatchCreateRequest request, Executor executor,
            Consumer<WatchResponse> onEvents, Consumer<Throwable> onFailure) {
        Observer o = new Observer(executor, onEvents, onFailure);
        WatchHub.StreamHandle h = hub.open(o);
        h.create(request);
        return new LocalWatch(h);
    }

    @Override
    public void close() {
        handle.close();
    }

    /** Always ready: the listener only queues work, so the hub never has to hold responses back. */
    private static final class Observer extends ServerCallStreamObserver<WatchResponse> {
        private final SerialExecutor executor;
        private final Consumer<WatchResponse> onEvents;
        private final Consumer<Throwable> onFailure;
        private volatile boolean done;

        Observer(Executor executor, Consumer<WatchResponse> onEvents, Consumer<Throwable> onFailure) {
            this.executor = new SerialExecutor(executor, "local watch callback");
            this.onEvents = onEvents;
            this.onFailure = onFailure;
        }

        @Override
        public void onNext(WatchResponse r) {
            if (done) {
                return;
            }
            if (r.getCanceled()) {
                done = true;
                String reason = r.getCompactRevision() != 0 ? WireError.COMPACTED.message()
                        : r.getCancelReason();
                executor.execute(() -> onFailure.accept(Status.UNKNOWN.withDescription(reason).asRuntimeException()));
            } else if (r.getEventsCount() > 0) {
                executor.execute(() -> onEvents.accept(r));
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!done) {
                done = true;
                executor.execute(() -> onFailure.accept(t));
            }
        }

        @Override
        public void onCompleted() {
            done = true;
        }

        @Override
        public boolean isCancelled() {
            return done;
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }
    }
}
