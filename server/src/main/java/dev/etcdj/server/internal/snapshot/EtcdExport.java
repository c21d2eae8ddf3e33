package dev.etcdj.server.internal.snapshot;

import static dev.etcdj.server.internal.snapshot.EtcdLayout.bytes;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.etcdj.proto.etcdserverpb.AlarmMember;
import dev.etcdj.proto.leasepb.Lease;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.auth.AuthStore;
import dev.etcdj.server.internal.mvcc.MvccStore;
import dev.etcdj.server.internal.storage.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Translates an etcdj store into etcd 3.4's buckets and value encodings, bucket by bucket in the
 * order bbolt keeps them: {@code alarm, auth, authRoles, authUsers, cluster, key, lease, members,
 * members_removed, meta}. Tombstones become etcd's {@code KeyValue{key}} under a key marked 't';
 * leases are stored with RemainingTTL 0, as etcd 3.4 writes them.
 */
public final class EtcdExport {
    private final Backend backend;
    private final MembersBucket membership;

    /** {@code backend} must not change while exporting: pass a checkpoint, not the live store. */
    public EtcdExport(Backend backend, MembersBucket membership) {
        this.backend = backend;
        this.membership = membership;
    }

    public void writeTo(BucketSink sink) throws IOException {
        try {
            alarms(sink);
            auth(sink);
            prefixed(sink, EtcdLayout.AUTH_ROLES, new byte[] {AuthStore.PREFIX, AuthStore.ROLE});
            prefixed(sink, EtcdLayout.AUTH_USERS, new byte[] {AuthStore.PREFIX, AuthStore.USER});
            sink.begin(EtcdLayout.CLUSTER);
            sink.put(bytes(EtcdLayout.CLUSTER_VERSION), bytes(EtcdLayout.CLUSTER_VERSION_VALUE));
            sink.end();
            keys(sink);
            leases(sink);
            members(sink);
            sink.begin(EtcdLayout.MEMBERS_REMOVED);
            sink.end();
            meta(sink);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void alarms(BucketSink sink) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        backend.scan(new byte[] {Backend.ALARM}, null, (k, v) -> {
            keys.add(AlarmMember.newBuilder().setMemberID(Backend.getLong(k, 1)).setAlarmValue(k[9]).build()
                    .toByteArray());
            return true;
        });
        keys.sort(Arrays::compareUnsigned);
        sink.begin(EtcdLayout.ALARM);
        for (byte[] k : keys) {
            sink.put(k, new byte[0]);
        }
        sink.end();
    }

    private void auth(BucketSink sink) throws IOException {
        sink.begin(EtcdLayout.AUTH);
        byte[] enabled = backend.get(AuthStore.ENABLED_KEY);
        if (enabled != null) {
            sink.put(bytes(EtcdLayout.AUTH_ENABLED), enabled);
        }
        byte[] rev = backend.get(AuthStore.REVISION_KEY);
        // A store no auth call has changed is at etcd's first revision, which etcd writes at start.
        sink.put(bytes(EtcdLayout.AUTH_REVISION), rev != null ? rev : Backend.longBytes(AuthStore.FRESH_REVISION));
        sink.end();
    }

    /** Users and roles are stored as etcd stores them (authpb messages), keyed by name after the prefix. */
    private void prefixed(BucketSink sink, String bucket, byte[] prefix) throws IOException {
        sink.begin(bucket);
        backend.scan(prefix, null, (k, v) -> {
            put(sink, Arrays.copyOfRange(k, prefix.length, k.length), v);
            return true;
        });
        sink.end();
    }

    private void keys(BucketSink sink) throws IOException {
        sink.begin(EtcdLayout.KEY);
        backend.scan(new byte[] {Backend.REV}, null, (k, v) -> {
            boolean tomb = v[0] == 1;
            put(sink, EtcdLayout.revKey(Backend.getLong(k, 1), Backend.getLong(k, 9), tomb), etcdValue(v));
            return true;
        });
        sink.end();
    }

    /** The bytes etcd stores for one of our revision records (flag byte + KeyValue). */
    public static byte[] etcdValue(byte[] stored) {
        byte[] kv = Arrays.copyOfRange(stored, 1, stored.length);
        if (stored[0] != 1) {
            return kv;
        }
        try {
            return KeyValue.newBuilder().setKey(KeyValue.parseFrom(kv).getKey()).build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt revision record: " + e.getMessage(), e);
        }
    }

    private void leases(BucketSink sink) throws IOException {
        sink.begin(EtcdLayout.LEASE);
        backend.scan(new byte[] {Backend.LEASE}, null, (k, v) -> {
            long id = Backend.getLong(k, 1);
            put(sink, EtcdLayout.longBytes(id), Lease.newBuilder().setID(id).setTTL(Backend.getLong(v, 0)).build()
                    .toByteArray());
            return true;
        });
        sink.end();
    }

    private void members(BucketSink sink) throws IOException {
        TreeMap<String, String> rows = new TreeMap<>(Comparator.naturalOrder());
        for (MembersBucket.Member m : membership.members()) {
            rows.put(Long.toHexString(m.id()), m.json());
        }
        sink.begin(EtcdLayout.MEMBERS);
        for (var e : rows.entrySet()) {
            sink.put(bytes(e.getKey()), bytes(e.getValue()));
        }
        sink.end();
    }

    private void meta(BucketSink sink) throws IOException {
        sink.begin(EtcdLayout.META);
        sink.put(bytes(EtcdLayout.CONSISTENT_INDEX), EtcdLayout.longBytes(backend.getMetaLong("appliedIndex", 1)));
        long compact = backend.getMetaLong(MvccStore.META_COMPACT, 0);
        if (compact > 0) {
            byte[] rev = EtcdLayout.revKey(compact, 0, false);
            sink.put(bytes(EtcdLayout.FINISHED_COMPACT), rev);
            sink.put(bytes(EtcdLayout.SCHEDULED_COMPACT), rev);
        }
        sink.end();
    }

    private static void put(BucketSink sink, byte[] k, byte[] v) {
        try {
            sink.put(k, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
