package dev.etcdj.server.internal.snapshot;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.etcdj.proto.etcdserverpb.AlarmMember;
import dev.etcdj.proto.leasepb.Lease;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.auth.AuthStore;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.snapshot.bbolt.BoltFormatException;
import dev.etcdj.server.internal.snapshot.bbolt.BoltReader;
import dev.etcdj.server.internal.storage.Backend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rocksdb.WriteBatch;

/**
 * Loads an etcd 3.4 backend (bbolt) into a fresh etcdj store, keeping what etcd's own restore
 * keeps: every stored revision (tombstones included), the compact revision, leases (same ids and
 * granted TTLs; a lease restarts at its full TTL unless the file recorded a remaining TTL), auth
 * (enabled flag, revision, users, roles) and alarms. Membership is not taken from the file: the
 * restored store gets the identity it is given, as {@code etcdctl snapshot restore} does.
 */
public final class EtcdImport {
    private static final int BATCH = 10_000;

    /** Who the restored member is: etcd derives both ids from the peer URLs and the cluster token. */
    public record Identity(long memberId, long clusterId, java.util.List<String> peerUrls) {
    }

    private final BoltReader db;
    private final Backend target;
    private WriteBatch batch = new WriteBatch();
    private int pending;

    private EtcdImport(BoltReader db, Backend target) {
        this.db = db;
        this.target = target;
    }

    /** Copies {@code db} into the empty store {@code target} (fsynced) under {@code identity}. */
    public static void load(BoltReader db, Backend target, Identity identity) throws IOException {
        EtcdImport i = new EtcdImport(db, target);
        try {
            i.run(identity);
        } finally {
            i.batch.close();
        }
    }

    private void run(Identity identity) throws IOException {
        long[] maxRev = {0};
        db.forEach(EtcdLayout.KEY, (k, v, bucket) -> {
            if (bucket || k.length < EtcdLayout.REV_BYTES) {
                throw new BoltFormatException("key bucket: malformed revision key");
            }
            long main = EtcdLayout.main(k);
            boolean tomb = EtcdLayout.isTombstone(k);
            KeyValue kv = parse(v);
            if (tomb) {
                // etcd keeps only the key in a tombstone; our history reads its mod revision.
                kv = kv.toBuilder().setModRevision(main).build();
            }
            byte[] enc = kv.toByteArray();
            byte[] val = new byte[enc.length + 1];
            val[0] = (byte) (tomb ? 1 : 0);
            System.arraycopy(enc, 0, val, 1, enc.length);
            put(Backend.revKey(main, EtcdLayout.sub(k)), val);
            maxRev[0] = Math.max(maxRev[0], main);
        });
        long[] compact = {0};
        db.forEach(EtcdLayout.META, (k, v, bucket) -> {
            String name = new String(k, StandardCharsets.UTF_8);
            if ((name.equals(EtcdLayout.FINISHED_COMPACT) || name.equals(EtcdLayout.SCHEDULED_COMPACT))
                    && v.length >= EtcdLayout.REV_BYTES) {
                // a scheduled but unfinished compaction is finished when the store opens, as etcd does
                compact[0] = Math.max(compact[0], EtcdLayout.main(v));
            }
        });
        if (compact[0] > 0) {
            put(Backend.metaKey(MvccStore.META_COMPACT), Backend.longBytes(compact[0]));
        }
        put(Backend.metaKey(MvccStore.META_REV), Backend.longBytes(Math.max(1, Math.max(maxRev[0], compact[0]))));
        db.forEach(EtcdLayout.LEASE, (k, v, bucket) -> {
            Lease l = Lease.parseFrom(v);
            long remaining = l.getRemainingTTL() > 0 ? l.getRemainingTTL() : l.getTTL();
            byte[] rec = new byte[16];
            Backend.putLong(rec, 0, l.getTTL());
            Backend.putLong(rec, 8, remaining * 1000);
            put(Backend.leaseKey(l.getID()), rec);
        });
        db.forEach(EtcdLayout.AUTH, (k, v, bucket) -> {
            String name = new String(k, StandardCharsets.UTF_8);
            if (name.equals(EtcdLayout.AUTH_ENABLED)) {
                put(AuthStore.ENABLED_KEY, v);
            } else if (name.equals(EtcdLayout.AUTH_REVISION)) {
                put(AuthStore.REVISION_KEY, v);
            }
        });
        copyPrefixed(EtcdLayout.AUTH_USERS, AuthStore.USER);
        copyPrefixed(EtcdLayout.AUTH_ROLES, AuthStore.ROLE);
        db.forEach(EtcdLayout.ALARM, (k, v, bucket) -> {
            AlarmMember a = AlarmMember.parseFrom(k);
            byte[] key = new byte[10];
            key[0] = Backend.ALARM;
            Backend.putLong(key, 1, identity.memberId());
            key[9] = (byte) a.getAlarmValue();
            put(key, new byte[] {1});
        });
        put(Backend.metaKey("memberId"), Backend.longBytes(identity.memberId()));
        put(Backend.metaKey("clusterId"), Backend.longBytes(identity.clusterId()));
        put(Backend.metaKey("peerUrls"), String.join(",", identity.peerUrls()).getBytes(StandardCharsets.UTF_8));
        put(Backend.metaKey("appliedIndex"), Backend.longBytes(1));
        flush();
    }

    private void copyPrefixed(String bucket, byte kind) throws IOException {
        db.forEach(bucket, (k, v, isBucket) -> {
            byte[] key = new byte[k.length + 2];
            key[0] = AuthStore.PREFIX;
            key[1] = kind;
            System.arraycopy(k, 0, key, 2, k.length);
            put(key, v);
        });
    }

    private static KeyValue parse(byte[] v) throws BoltFormatException {
        try {
            return KeyValue.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new BoltFormatException("key bucket: " + e.getMessage());
        }
    }

    private void put(byte[] k, byte[] v) {
        Backend.put(batch, Arrays.copyOf(k, k.length), v);
        if (++pending >= BATCH) {
            flush();
        }
    }

    private void flush() {
        target.write(batch, true);
        batch.close();
        batch = new WriteBatch();
        pending = 0;
    }
}
