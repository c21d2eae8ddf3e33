package dev.etcdj.server.internal.apply;

/**
 * A write group could not be made durable (disk full, read-only or failing file system): the
 * server refuses every later write until it is restarted. Answered as gRPC UNKNOWN with this
 * message, as etcd answers errors it has no code for.
 */
public final class StorageFailedException extends RuntimeException {
    StorageFailedException(RuntimeException cause) {
        super("etcdserver: storage failure, writes are refused until restart: " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
