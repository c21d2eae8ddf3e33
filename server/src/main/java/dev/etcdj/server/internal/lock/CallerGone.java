package dev.etcdj.server.internal.lock;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a Lock or Campaign call that may wait learns that its caller went away. Made when the call
 * starts (gRPC takes a cancel handler only then); what to do is set once the call starts waiting.
 */
public final class CallerGone {
    private final ServerCallStreamObserver<?> out;
    private final AtomicReference<Runnable> action = new AtomicReference<>(() -> {
    });

    public CallerGone(StreamObserver<?> responseObserver) {
        out = (ServerCallStreamObserver<?>) responseObserver;
        out.setOnCancelHandler(() -> action.get().run());
    }

    /** Runs {@code r} when the caller goes away, or now if it already has. */
    void then(Runnable r) {
        action.set(r);
        if (out.isCancelled()) {
            r.run();
        }
    }
}
