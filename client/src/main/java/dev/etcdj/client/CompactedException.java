package dev.etcdj.client;

/**
 * The requested revision is older than the store's compaction point. {@link #compactRevision()}
 * is the oldest revision still available (0 when the server did not say, as for a get).
 */
public class CompactedException extends EtcdNotFoundException {

    private final long compactRevision;

    public CompactedException(String message, long compactRevision, Throwable cause) {
        super(EtcdError.COMPACTED.code(), EtcdError.COMPACTED, message, cause);
        this.compactRevision = compactRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
