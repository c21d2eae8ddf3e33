package dev.etcdj.testing;

/**
 * What our server's two targets share, in this JVM ({@link EtcdjServerTarget}) or in one of its own
 * ({@link EtcdjServerProcess}): a start that is a no-op while the server runs and takes the port of
 * the first start back ({@link PortBinding}), a restart that is a kill and a start, and a close
 * that kills and then releases what the target holds on disk. Subclasses say how to start on a port,
 * whether the server runs, how to kill it and what to release.
 */
abstract class OwnServerTarget implements EtcdTarget {
    private final PortBinding binding = new PortBinding();
    private boolean closed;

    OwnServerTarget() {
    }

    @Override
    public final boolean isRealEtcd() {
        return false;
    }

    /** Starts the server and returns once it serves; a no-op while it runs. */
    @Override
    public final synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name() + " target closed");
        }
        if (!running()) {
            binding.start(this::startOn);
        }
    }

    /** Kills the server, then starts it again on the same port and data. */
    @Override
    public final synchronized void restart() {
        kill();
        start();
    }

    /** Kills the server and releases its dirs. Idempotent. */
    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill();
        release();
    }

    /** The port of the first start; 0 before it. */
    final int boundPort() {
        return binding.port();
    }

    /** True while the server runs; a start then does nothing. */
    abstract boolean running();

    /**
     * Starts the server on {@code port} (0: any free one) and returns its client URL once it serves,
     * or throws having cleaned up after itself.
     */
    abstract String startOn(int port);

    /** Deletes what the target keeps on disk; called once, after the last kill. */
    abstract void release();
}
