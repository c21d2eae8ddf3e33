package dev.etcdj.server.internal.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.snapshot.EtcdExport;
import dev.etcdj.server.internal.snapshot.EtcdLayout;
import dev.etcdj.server.internal.storage.Backend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.rocksdb.WriteBatch;

/**
 * Multi-version key-value store: values live in the backend keyed by revision, the key index in
 * memory. Reads may run on any thread against published revisions; writes run only on the apply
 * thread, through {@link WriteTxn}.
 */
public final class MvccStore {
    public static final String META_REV = "rev";
    public static final String META_COMPACT = "compact";
    private static final byte[] HASH_KV_BUCKET = EtcdLayout.bytes(EtcdLayout.KEY);

    private static final int KEY_TAG = (KeyValue.KEY_FIELD_NUMBER << 3) | 2;
    private static final int LEASE_TAG = KeyValue.LEASE_FIELD_NUMBER << 3;
    private static final int CREATE_TAG = KeyValue.CREATE_REVISION_FIELD_NUMBER << 3;
    private static final int MOD_TAG = KeyValue.MOD_REVISION_FIELD_NUMBER << 3;
    private static final int VERSION_TAG = KeyValue.VERSION_FIELD_NUMBER << 3;

    private final Backend backend;
    private final KeyIndex index = new KeyIndex();

    /** Highest revision visible to readers (committed and durable). */
    private volatile long currentRev;
    private volatile long compactRev;
    /** Apply thread only: last revision assigned (≥ currentRev while a group is in flight). */
    private long writeRev;
    /** Apply thread only: values written in the current, not yet committed group. */
    private final Map<RevPair, KeyValue> pending = new HashMap<>();
    /** Apply thread only: events of the current group, per revision. */
    private final List<RevisionEvents> pendingEvents = new ArrayList<>();

    record RevPair(long main, long sub) {
    }

    /** The changes of one revision, for watchers. */
    public record RevisionEvents(long revision, List<Event> events) {
    }

    /** Result of a range read. */
    public record RangeResult(List<KeyValue> kvs, long count) {
    }

    /** Key → lease of its live value at startup, for the lessor to rebuild attachments. */
    private final Map<ByteKey, Long> restoredLeases = new HashMap<>();

    public MvccStore(Backend backend) {
        this.backend = backend;
        restore();
    }

    private void restore() {
        long[] maxRev = {1};
        StoredValue kv = new StoredValue();
        backend.scanOnce(new byte[] {Backend.REV}, (k, kl, v, vl) -> {
            long main = Backend.getLong(k, 1);
            long sub = Backend.getLong(k, 9);
            boolean tomb = v[0] == 1;
            // Only the key and the lease, straight from the reused buffer: parsing whole values
            // made a restart read every value twice, and copying each out allocated all of them.
            kv.read(v, 1, vl);
            byte[] key = kv.key;
            index.restore(key, main, sub, tomb);
            if (tomb || kv.lease == 0) {
                if (!restoredLeases.isEmpty()) {
                    restoredLeases.remove(ByteKey.wrap(key));
                }
            } else {
                restoredLeases.put(ByteKey.wrap(key), kv.lease);
            }
            maxRev[0] = Math.max(maxRev[0], main);
        });
        long rev = Math.max(maxRev[0], backend.getMetaLong(META_REV, 1));
        currentRev = rev;
        writeRev = rev;
        compactRev = backend.getMetaLong(META_COMPACT, 0);
        if (compactRev > 0) {
            // finish a physical compaction that may have been interrupted by a crash
            List<long[]> dropped = index.compact(compactRev);
            deleteRevisions(dropped);
        }
    }

    public Map<ByteKey, Long> restoredLeases() {
        return restoredLeases;
    }

    static KeyValue parse(byte[] v) {
        try {
            return KeyValue.parseFrom(ByteString.copyFrom(v, 1, v.length - 1));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt revision value", e);
        }
    }

    public long currentRevision() {
        return currentRev;
    }

    public long compactRevision() {
        return compactRev;
    }

    /** Resolves a requested read revision (≤0 = current) or throws etcd's compacted/future errors. */
    public long checkReadRev(long rev, long current) {
        if (rev <= 0) {
            return current;
        }
        if (rev > current) {
            throw EtcdException.of(WireError.FUTURE_REV);
        }
        if (rev < compactRev) {
            throw EtcdException.of(WireError.COMPACTED);
        }
        return rev;
    }

    KeyValue kvAt(long main, long sub) {
        return kvAt(main, sub, true);
    }

    private KeyValue kvAt(long main, long sub, boolean withValue) {
        if (main > currentRev) {
            KeyValue kv = pending.get(new RevPair(main, sub));
            if (kv != null) {
                return withValue ? kv : kv.toBuilder().clearValue().build();
            }
        }
        byte[] v = backend.get(Backend.revKey(main, sub));
        if (v == null) {
            // removed by a compaction that raced with this read
            throw EtcdException.of(WireError.COMPACTED);
        }
        return withValue ? parse(v) : parseWithoutValue(v);
    }

    /** A stored KeyValue without its value, which is skipped, never copied (keys-only reads). */
    static KeyValue parseWithoutValue(byte[] v) {
        KeyValue.Builder b = KeyValue.newBuilder();
        try {
            CodedInputStream in = CodedInputStream.newInstance(v, 1, v.length - 1);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag) {
                    case KEY_TAG -> b.setKey(in.readBytes());
                    case CREATE_TAG -> b.setCreateRevision(in.readInt64());
                    case MOD_TAG -> b.setModRevision(in.readInt64());
                    case VERSION_TAG -> b.setVersion(in.readInt64());
                    case LEASE_TAG -> b.setLease(in.readInt64());
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("corrupt revision value", e);
        }
        return b.build();
    }

    /** Live kvs in the range at rev; collects at most max (≤0 = all) but counts all. */
    public RangeResult range(KeyRange r, long rev, int max, boolean countOnly) {
        return range(r, rev, max, countOnly, true);
    }

    /** As {@link #range(KeyRange, long, int, boolean)}; without values (left empty) unless {@code withValues}. */
    public RangeResult range(KeyRange r, long rev, int max, boolean countOnly, boolean withValues) {
        long[] count = new long[1];
        List<KeyIndex.Entry> entries = index.range(r, rev, countOnly ? 1 : max, count);
        checkNotCompactedMeanwhile(rev);
        if (countOnly) {
            return new RangeResult(List.of(), count[0]);
        }
        List<KeyValue> kvs = new ArrayList<>(entries.size());
        for (KeyIndex.Entry e : entries) {
            kvs.add(kvAt(e.main(), e.sub(), withValues));
        }
        return new RangeResult(kvs, count[0]);
    }

    /** The live kv of key at rev, or null. */
    public KeyValue get(byte[] key, long rev) {
        KeyIndex.Entry e = index.get(key, rev);
        checkNotCompactedMeanwhile(rev);
        return e == null ? null : kvAt(e.main(), e.sub());
    }

    /**
     * A compaction past rev may have run during an index scan (compactRev is raised before the
     * index is compacted), so the scan may be incomplete: report it as compacted.
     */
    private void checkNotCompactedMeanwhile(long rev) {
        if (rev < compactRev) {
            throw EtcdException.of(WireError.COMPACTED);
        }
    }

    /**
     * Reads the stored history between two revisions (inclusive), in revision order, calling the
     * visitor with each event until it returns false. DELETE events carry only key and mod_revision.
     */
    public void history(long fromRev, long toRev, Predicate<Event> visitor) {
        backend.scan(new byte[] {Backend.REV}, Backend.revKey(fromRev, 0), (k, v) -> {
            long main = Backend.getLong(k, 1);
            if (main > toRev) {
                return false;
            }
            KeyValue kv = parse(v);
            Event ev = Event.newBuilder().setType(v[0] == 1 ? Event.EventType.DELETE : Event.EventType.PUT)
                    .setKv(kv).build();
            return visitor.test(ev);
        });
    }

    // ---- apply-thread API ----

    public WriteTxn beginWrite(WriteBatch batch) {
        return new WriteTxn(this, batch, writeRev);
    }

    void finish(WriteTxn txn) {
        if (txn.changed()) {
            writeRev = txn.revision();
            Backend.put(txn.batch(), Backend.metaKey(META_REV), Backend.longBytes(writeRev));
            pendingEvents.add(new RevisionEvents(writeRev, List.copyOf(txn.events())));
        }
    }

    /** Apply thread: the revision the next write builds on (includes uncommitted group writes). */
    public long lastAssignedRevision() {
        return writeRev;
    }

    void stage(byte[] key, long main, long sub, boolean tomb, KeyValue kv, WriteBatch batch) {
        byte[] enc = kv.toByteArray();
        byte[] v = new byte[enc.length + 1];
        v[0] = (byte) (tomb ? 1 : 0);
        System.arraycopy(enc, 0, v, 1, enc.length);
        Backend.put(batch, Backend.revKey(main, sub), v);
        pending.put(new RevPair(main, sub), kv);
        index.add(key, main, sub, tomb);
    }

    KeyIndex index() {
        return index;
    }

    /** After the group's batch is durable: makes it visible and hands back its events. */
    public List<RevisionEvents> publish() {
        currentRev = writeRev;
        pending.clear();
        List<RevisionEvents> out = new ArrayList<>(pendingEvents);
        pendingEvents.clear();
        return out;
    }

    /** Called on the apply thread after a failed backend write: forget the group. Index is not rolled back. */
    public void abandonGroup() {
        pending.clear();
        pendingEvents.clear();
    }

    /**
     * Compacts the index at rev (apply thread) and records the new compact revision in the batch.
     * Returns the revisions to delete from the backend.
     */
    public List<long[]> compact(long rev, WriteBatch batch) {
        if (rev <= compactRev) {
            throw EtcdException.of(WireError.COMPACTED);
        }
        if (rev > writeRev) {
            throw EtcdException.of(WireError.FUTURE_REV);
        }
        compactRev = rev;
        Backend.put(batch, Backend.metaKey(META_COMPACT), Backend.longBytes(rev));
        return index.compact(rev);
    }

    /** Deletes dropped revisions from the backend in chunks (compactor thread). */
    public void deleteRevisions(List<long[]> dropped) {
        int i = 0;
        while (i < dropped.size()) {
            try (WriteBatch b = new WriteBatch()) {
                int end = Math.min(dropped.size(), i + 10_000);
                for (; i < end; i++) {
                    b.delete(Backend.revKey(dropped.get(i)[0], dropped.get(i)[1]));
                }
                backend.write(b, true);
            } catch (org.rocksdb.RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * etcd's HashKV: CRC-32C (Castagnoli) over the bucket name "key", then each stored revision up
     * to rev as etcd stores it (17-byte revision key, 't' appended for a tombstone; the KeyValue
     * bytes, a tombstone's holding only the key). Revisions at or below the compact revision count
     * only if they are in the keep-set at rev (each key's newest live revision ≤ rev), unless that
     * set is empty.
     */
    public int hashKV(long rev) {
        long compact = compactRev;
        java.util.Set<Long> keep = index.keepSet(rev);
        CRC32C crc = new CRC32C();
        crc.update(HASH_KV_BUCKET);
        backend.scan(new byte[] {Backend.REV}, null, (k, v) -> {
            long main = Backend.getLong(k, 1);
            long sub = Backend.getLong(k, 9);
            if (main > rev) {
                return false;
            }
            if (main <= compact && !keep.isEmpty() && !keep.contains(main * 1_000_003L + sub)) {
                return true;
            }
            crc.update(EtcdLayout.revKey(main, sub, v[0] == 1));
            crc.update(EtcdExport.etcdValue(v));
            return true;
        });
        return (int) crc.getValue();
    }

    public int keyCount() {
        return index.size();
    }
}
