package dev.etcdj.testing;

import java.util.List;

/**
 * Something a test talks to as if it were etcd: a real etcd process, a real cluster, or (from
 * another module) the embedded etcdj server. Contract tests are written against this interface
 * so the same test runs against every target.
 */
public interface EtcdTarget extends AutoCloseable {

    /** Short name for reports, e.g. {@code "etcd"} or {@code "etcdj"}. */
    String name();

    /** True for the real etcd binary (the oracle), false for our own server. */
    boolean isRealEtcd();

    /** Starts the target and returns once it serves requests. */
    void start();

    /** The client URL of the first (or only) member, e.g. {@code http://127.0.0.1:40123}. */
    String endpoint();

    /** Client URLs of all members; a single-member target has only {@link #endpoint()}. */
    default List<String> endpoints() {
        return List.of(endpoint());
    }

    /** Graceful stop followed by a start on the same ports and the same data. */
    void restart();

    /** Abrupt death (SIGKILL or its equivalent): nothing is flushed, nothing is said goodbye to. */
    void kill();

    /** Stops the target and releases everything it holds. Idempotent. */
    @Override
    void close();

    /** Starts {@code target} and returns it; if it does not start, closes it, so no half-started process is left. */
    static <T extends EtcdTarget> T started(T target) {
        try {
            target.start();
        } catch (RuntimeException | Error e) {
            try {
                target.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return target;
    }
}
