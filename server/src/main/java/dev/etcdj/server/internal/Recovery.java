package dev.etcdj.server.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's recovery on a thread of its own, so that it overlaps the listeners' binding (which
 * loads most of Netty's and gRPC's classes): on two cores, the two run side by side.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final CompletableFuture<ServerCore> core = new CompletableFuture<>();

    private Recovery() {}

    /** Starts {@code recover} on the {@code etcdj-recovery} thread. */
    public static Recovery start(Supplier<ServerCore> recover) {
        Recovery r = new Recovery();
        new Thread(() -> {
            try {
                r.core.complete(recover.get());
            } catch (Throwable t) {
                r.core.completeExceptionally(t);
            }
        }, "etcdj-recovery").start();
        return r;
    }

    /** The recovered core, or what recovering it threw, as it was thrown. */
    public ServerCore join() {
        try {
            return core.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    /** Waits for a recovery the failed start no longer needs and closes what it opened. */
    public void abandon() {
        try {
            core.join().close();
        } catch (RuntimeException e) {
            // The start fails anyway, with the listener's error; this one comes second.
            LOG.atDebug().setCause(e).log("the store was not opened either");
        }
    }
}
