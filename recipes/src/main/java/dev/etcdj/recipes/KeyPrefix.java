package dev.etcdj.recipes;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pure key mapping of a {@link Namespace}: user keys and ranges to keys under the prefix, and
 * server answers back to user keys. Mirrors Go's {@code clientv3/namespace} (prefixInterval).
 */
final class KeyPrefix {

    private final Bytes prefix;

    KeyPrefix(Bytes prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    Bytes prefix() {
        return prefix;
    }

    Bytes key(Bytes key) {
        return prefix.concat(key);
    }

    /**
     * {key, end} under the prefix. An empty end (a single key) stays empty; etcd's "\x00" end (from
     * the key to the end of the keyspace, or every key) becomes the end of the namespace, so a
     * range never leaks out of it.
     */
    Bytes[] range(Bytes key, Bytes end) {
        Bytes k = prefix.concat(key);
        if (end.isEmpty()) {
            return new Bytes[] {k, Bytes.EMPTY};
        }
        if (end.equals(Bytes.ZERO)) {
            // prefixEnd() of an empty or all-0xFF prefix is "\x00" itself: then there is no bound to keep.
            return new Bytes[] {k, prefix.prefixEnd()};
        }
        return new Bytes[] {k, prefix.concat(end)};
    }

    /** The user's key of a key under the prefix; a key outside it (never sent by etcd for our requests) is kept. */
    Bytes strip(Bytes key) {
        return key.startsWith(prefix) ? key.substring(prefix.size()) : key;
    }

    KeyValue strip(KeyValue kv) {
        return new KeyValue(strip(kv.key()), kv.value(), kv.createRevision(), kv.modRevision(), kv.version(),
                kv.lease());
    }

    private static void requireKey(Bytes key, Bytes end) {
        // An empty key alone would name the prefix itself: a key the namespace cannot show.
        if (key.isEmpty() && end.isEmpty()) {
            throw new EmptyKeyException();
        }
    }

    Op map(Op op) {
        if (op instanceof Op.Get g) {
            return map(g);
        } else if (op instanceof Op.Put p) {
            requireKey(p.key(), Bytes.EMPTY);
            return new Op.Put(key(p.key()), p.value(), p.lease(), p.prevKv(), p.ignoreValue(), p.ignoreLease());
        } else if (op instanceof Op.Delete d) {
            requireKey(d.key(), d.rangeEnd());
            Bytes[] r = range(d.key(), d.rangeEnd());
            return new Op.Delete(r[0], r[1], d.prevKv());
        } else {
            return map((Op.Txn) op);
        }
    }

    Op.Get map(Op.Get g) {
        requireKey(g.key(), g.rangeEnd());
        Bytes[] r = range(g.key(), g.rangeEnd());
        return new Op.Get(r[0], r[1], g.limit(), g.revision(), g.sortTarget(), g.sortOrder(), g.serializable(),
                g.keysOnly(), g.countOnly(), g.minModRevision(), g.maxModRevision(), g.minCreateRevision(),
                g.maxCreateRevision());
    }

    Op.Txn map(Op.Txn t) {
        List<Cmp> cmps = new ArrayList<>(t.compares().size());
        for (Cmp c : t.compares()) {
            cmps.add(map(c));
        }
        return new Op.Txn(cmps, mapOps(t.success()), mapOps(t.failure()));
    }

    private List<Op> mapOps(List<Op> ops) {
        List<Op> out = new ArrayList<>(ops.size());
        for (Op op : ops) {
            out.add(map(op));
        }
        return out;
    }

    Cmp map(Cmp c) {
        requireKey(c.key(), c.rangeEnd());
        Bytes[] r = range(c.key(), c.rangeEnd());
        return new Cmp(r[0], r[1], c.target(), c.result(), c.number(), c.value());
    }

    WatchSpec map(WatchSpec s) {
        requireKey(s.key(), s.rangeEnd());
        Bytes[] r = range(s.key(), s.rangeEnd());
        return new WatchSpec(r[0], r[1], s.startRevision(), s.prevKv(), s.progressNotify(), s.noPut(), s.noDelete(),
                s.fragment());
    }

    OpResponse strip(OpResponse response) {
        if (response instanceof GetResponse g) {
            return strip(g);
        } else if (response instanceof PutResponse p) {
            return strip(p);
        } else if (response instanceof DeleteResponse d) {
            return strip(d);
        } else {
            return strip((TxnResponse) response);
        }
    }

    GetResponse strip(GetResponse g) {
        return new GetResponse(g.header(), stripAll(g.kvs()), g.more(), g.count());
    }

    PutResponse strip(PutResponse p) {
        return new PutResponse(p.header(), p.prevKv().map(this::strip));
    }

    DeleteResponse strip(DeleteResponse d) {
        return new DeleteResponse(d.header(), d.deleted(), stripAll(d.prevKvs()));
    }

    TxnResponse strip(TxnResponse t) {
        List<OpResponse> out = new ArrayList<>(t.responses().size());
        for (OpResponse r : t.responses()) {
            out.add(strip(r));
        }
        return new TxnResponse(t.header(), t.succeeded(), out);
    }

    WatchResponse strip(WatchResponse w) {
        List<WatchEvent> events = new ArrayList<>(w.events().size());
        for (WatchEvent e : w.events()) {
            events.add(new WatchEvent(e.type(), strip(e.kv()), e.prevKv().map(this::strip)));
        }
        return new WatchResponse(w.header(), events);
    }

    /** A lease's keys inside the namespace, as user keys; keys of other namespaces are left out. */
    LeaseTimeToLiveResponse strip(LeaseTimeToLiveResponse r) {
        List<Bytes> keys = new ArrayList<>(r.keys().size());
        for (Bytes k : r.keys()) {
            if (k.startsWith(prefix)) {
                keys.add(k.substring(prefix.size()));
            }
        }
        return new LeaseTimeToLiveResponse(r.header(), r.leaseId(), r.ttl(), r.grantedTtl(), keys);
    }

    private List<KeyValue> stripAll(List<KeyValue> kvs) {
        List<KeyValue> out = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            out.add(strip(kv));
        }
        return out;
    }
}
