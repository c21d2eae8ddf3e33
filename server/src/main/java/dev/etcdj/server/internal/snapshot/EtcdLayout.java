package dev.etcdj.server.internal.snapshot;

import dev.etcdj.server.internal.storage.Backend;
import java.nio.charset.StandardCharsets;

/**
 * Names and encodings of etcd 3.4's backend (the bbolt file a snapshot carries): bucket names,
 * meta keys and the revision key of the {@code key} bucket, {@code main(8, big-endian) '_'
 * sub(8, big-endian)} plus a trailing {@code 't'} for a tombstone.
 */
public final class EtcdLayout {
    public static final String ALARM = "alarm";
    public static final String AUTH = "auth";
    public static final String AUTH_ROLES = "authRoles";
    public static final String AUTH_USERS = "authUsers";
    public static final String CLUSTER = "cluster";
    public static final String KEY = "key";
    public static final String LEASE = "lease";
    public static final String MEMBERS = "members";
    public static final String MEMBERS_REMOVED = "members_removed";
    public static final String META = "meta";

    public static final String CONSISTENT_INDEX = "consistent_index";
    public static final String SCHEDULED_COMPACT = "scheduledCompactRev";
    public static final String FINISHED_COMPACT = "finishedCompactRev";
    public static final String AUTH_ENABLED = "authEnabled";
    public static final String AUTH_REVISION = "authRevision";
    public static final String CLUSTER_VERSION = "clusterVersion";
    /** What etcd 3.4 stores as the cluster version (major.minor.0). */
    public static final String CLUSTER_VERSION_VALUE = "3.4.0";

    public static final int REV_BYTES = 17;
    public static final byte TOMBSTONE = 't';

    private EtcdLayout() {
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** etcd's revToBytes, plus the tombstone mark when asked. */
    public static byte[] revKey(long main, long sub, boolean tombstone) {
        byte[] k = new byte[tombstone ? REV_BYTES + 1 : REV_BYTES];
        putLong(k, 0, main);
        k[8] = '_';
        putLong(k, 9, sub);
        if (tombstone) {
            k[REV_BYTES] = TOMBSTONE;
        }
        return k;
    }

    public static boolean isTombstone(byte[] revKey) {
        return revKey.length == REV_BYTES + 1 && revKey[REV_BYTES] == TOMBSTONE;
    }

    public static long main(byte[] revKey) {
        return getLong(revKey, 0);
    }

    public static long sub(byte[] revKey) {
        return getLong(revKey, 9);
    }

    public static byte[] longBytes(long v) {
        return Backend.longBytes(v);
    }

    static void putLong(byte[] b, int off, long v) {
        Backend.putLong(b, off, v);
    }

    public static long getLong(byte[] b, int off) {
        return Backend.getLong(b, off);
    }
}
