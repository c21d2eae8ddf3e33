package dev.etcdj.server.internal.kv;

/**
 * The decision of etcd's revision auto-compaction (v3compactor/revision.go): at each check, compact to
 * {@code current - retention} when that is positive and differs from the last revision compacted.
 */
final class RevisionRetention {

    private final long retention;
    private long previous;

    RevisionRetention(long retention) {
        this.retention = retention;
    }

    /** The revision to compact now, or 0 for none. */
    synchronized long next(long current) {
        long rev = current - retention;
        return rev <= 0 || rev == previous ? 0 : rev;
    }

    /** Records a compaction that succeeded (or found the revision already compacted). */
    synchronized void done(long rev) {
        previous = rev;
    }
}
