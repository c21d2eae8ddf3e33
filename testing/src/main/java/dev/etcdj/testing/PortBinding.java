package dev.etcdj.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * How our server's targets (in this JVM or in one of its own) start on a port: the first start
 * takes any free one (port 0), and every later start takes that same port back, so clients
 * reconnect to the endpoint they know. A port just released may linger for a moment, so a start
 * on a fixed port that fails is tried again until a deadline.
 */
final class PortBinding {
    private static final Duration RETRY_FOR = Duration.ofSeconds(10);
    private static final Duration BACKOFF = Duration.ofMillis(100);

    private int port;

    /** The bound port; 0 before the first start. */
    synchronized int port() {
        return port;
    }

    /**
     * Starts by calling {@code startOn} with the port to bind (0 the first time), which returns the
     * client URL it serves or throws (having cleaned up after itself). Returns that URL.
     */
    synchronized String start(IntFunction<String> startOn) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            try {
                String endpoint = startOn.apply(port);
                port = portOf(endpoint);
                return endpoint;
            } catch (RuntimeException e) {
                if (port == 0 || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(BACKOFF.toNanos()); // retry backoff, not a wait for a condition
            }
        }
    }

    /** The port of a URL such as {@code http://127.0.0.1:2379}. */
    static int portOf(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
