package dev.etcdj.server.internal.mvcc;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.WriteBatch;

/**
 * One write transaction (one revision at most) on the apply thread. Later operations see earlier
 * ones; nothing is visible to readers until the group is committed and published.
 */
public final class WriteTxn {
    private final MvccStore store;
    private final WriteBatch batch;
    private final long beginRev;
    private long sub;
    private final List<Event> events = new ArrayList<>();

    WriteTxn(MvccStore store, WriteBatch batch, long beginRev) {
        this.store = store;
        this.batch = batch;
        this.beginRev = beginRev;
    }

    public boolean changed() {
        return sub > 0;
    }

    /** The revision this txn writes (beginRev + 1). */
    public long revision() {
        return beginRev + 1;
    }

    /** The revision reads inside this txn observe: like etcd's txn.Rev() plus own changes. */
    public long readRevision() {
        return changed() ? beginRev + 1 : beginRev;
    }

    public long beginRevision() {
        return beginRev;
    }

    WriteBatch batch() {
        return batch;
    }

    List<Event> events() {
        return events;
    }

    public KeyValue latest(byte[] key) {
        return store.get(key, readRevision());
    }

    public MvccStore.RangeResult range(KeyRange r, long rev, int max, boolean countOnly) {
        return store.range(r, rev, max, countOnly);
    }

    /** Writes key=value with lease; returns the new kv. */
    public KeyValue put(byte[] key, ByteString value, long lease, KeyValue prev) {
        long rev = beginRev + 1;
        KeyValue kv = KeyValue.newBuilder().setKey(ByteString.copyFrom(key))
                .setCreateRevision(prev == null ? rev : prev.getCreateRevision())
                .setModRevision(rev)
                .setVersion(prev == null ? 1 : prev.getVersion() + 1)
                .setValue(value)
                .setLease(lease)
                .build();
        store.stage(key, rev, sub++, false, kv, batch);
        events.add(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build());
        return kv;
    }

    /** Writes a tombstone for key (which must be live). */
    public void delete(byte[] key) {
        long rev = beginRev + 1;
        KeyValue kv = KeyValue.newBuilder().setKey(ByteString.copyFrom(key)).setModRevision(rev).build();
        store.stage(key, rev, sub++, true, kv, batch);
        events.add(Event.newBuilder().setType(Event.EventType.DELETE).setKv(kv).build());
    }

    /** Ends the txn: if it changed anything, the store's revision advances by one. */
    public void end() {
        store.finish(this);
    }
}
