package dev.etcdj.server;

/**
 * A snapshot file that cannot be read or restored, or a restore target that cannot be used. The
 * message is the text etcdctl prints after "Error: " for the same problem.
 */
public final class SnapshotException extends Exception {
    public SnapshotException(String message) {
        super(message);
    }
}
