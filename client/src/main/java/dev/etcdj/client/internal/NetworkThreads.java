package dev.etcdj.client.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Marks the client's network (event loop) threads, so that a blocking wait started on one of them
 * can be refused: it would wait for an answer only that same thread can read.
 */
final class NetworkThreads {

    private static final ThreadLocal<Boolean> NETWORK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private NetworkThreads() {}

    /** Threads of {@code factory}, each marked as a network thread while it runs. */
    static ThreadFactory marking(ThreadFactory factory) {
        return r -> factory.newThread(() -> {
            NETWORK.set(Boolean.TRUE);
            r.run();
        });
    }

    /** Whether the calling thread is one of a client's network threads. */
    static boolean isCurrent() {
        return NETWORK.get();
    }
}
