package dev.etcdj.cli.output;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import java.io.PrintStream;
import java.util.List;

/**
 * etcdctl 3.4's {@code -w json}: Go's encoding/json of the protobuf response structs (snake_case
 * names, zero fields omitted) or of clientv3's own structs (lease and watch responses, whose field
 * names and omitempty rules differ and are reproduced here one by one).
 */
public final class JsonPrinter implements Printer {

    private final PrintStream out;

    public JsonPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void get(GetResponse r) {
        Json j = new Json().begin();
        getBody(j, r);
        print(j.end());
    }

    @Override
    public void put(PutResponse r) {
        Json j = new Json().begin();
        putBody(j, r);
        print(j.end());
    }

    @Override
    public void del(DeleteResponse r) {
        Json j = new Json().begin();
        delBody(j, r);
        print(j.end());
    }

    @Override
    public void txn(TxnResponse r) {
        Json j = new Json().begin();
        txnBody(j, r);
        print(j.end());
    }

    @Override
    public void watch(ResponseHeader header, List<WatchEvent> events, long compactRevision, boolean canceled) {
        // clientv3.WatchResponse has no json tags: Go uses the field names as they are.
        Json j = new Json().begin().begin("Header");
        headerFields(j, header);
        j.end();
        if (events.isEmpty() && !canceled) {
            j.rawNull("Events");
        } else {
            j.beginArray("Events");
            for (WatchEvent e : events) {
                j.begin();
                j.num("type", e.type() == WatchEvent.Type.DELETE ? 1 : 0, true);
                kv(j, "kv", e.kv());
                e.prevKv().ifPresent(p -> kv(j, "prev_kv", p));
                j.end();
            }
            j.endArray();
        }
        j.num("CompactRevision", compactRevision, false);
        j.bool("Canceled", canceled, false);
        j.bool("Created", false, false);
        print(j.end());
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        Json j = new Json().begin();
        headerFields(j, r.header());
        j.num("ID", r.leaseId(), false).num("TTL", r.ttl(), false).string("Error", "");
        print(j.end());
    }

    @Override
    public void revoke(long leaseId, LeaseRevokeResponse r) {
        Json j = new Json().begin();
        header(j, r.header());
        print(j.end());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        Json j = new Json().begin();
        headerFields(j, r.header());
        j.num("ID", r.leaseId(), false).num("TTL", r.ttl(), false);
        print(j.end());
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        Json j = new Json().begin();
        headerFields(j, r.header());
        j.num("id", r.leaseId(), false).num("ttl", r.ttl(), false).num("granted-ttl", r.grantedTtl(), false);
        if (r.keys().isEmpty()) {
            j.rawNull("keys");
        } else {
            j.beginArray("keys");
            for (Bytes k : r.keys()) {
                j.base64(k.unsafeArray());
            }
            j.endArray();
        }
        print(j.end());
    }

    @Override
    public void leases(LeaseListResponse r) {
        Json j = new Json().begin();
        headerFields(j, r.header());
        j.beginArray("leases");
        for (long id : r.leaseIds()) {
            j.begin().num("id", id, false).end();
        }
        print(j.endArray().end());
    }

    private static void getBody(Json j, GetResponse r) {
        header(j, r.header());
        if (!r.kvs().isEmpty()) {
            j.beginArray("kvs");
            for (KeyValue kv : r.kvs()) {
                kvObject(j.begin(), kv);
                j.end();
            }
            j.endArray();
        }
        j.bool("more", r.more(), true).num("count", r.count(), true);
    }

    private static void putBody(Json j, PutResponse r) {
        header(j, r.header());
        r.prevKv().ifPresent(p -> kv(j, "prev_kv", p));
    }

    private static void delBody(Json j, DeleteResponse r) {
        header(j, r.header());
        j.num("deleted", r.deleted(), true);
        if (!r.prevKvs().isEmpty()) {
            j.beginArray("prev_kvs");
            for (KeyValue kv : r.prevKvs()) {
                kvObject(j.begin(), kv);
                j.end();
            }
            j.endArray();
        }
    }

    private static void txnBody(Json j, TxnResponse r) {
        header(j, r.header());
        j.bool("succeeded", r.succeeded(), true);
        if (!r.responses().isEmpty()) {
            j.beginArray("responses");
            for (OpResponse op : r.responses()) {
                // pb.ResponseOp: the oneof is a field named "Response" holding a wrapper named by type.
                j.begin().begin("Response");
                if (op instanceof PutResponse p) {
                    j.begin("ResponsePut");
                    putBody(j, p);
                } else if (op instanceof GetResponse g) {
                    j.begin("ResponseRange");
                    getBody(j, g);
                } else if (op instanceof DeleteResponse d) {
                    j.begin("ResponseDeleteRange");
                    delBody(j, d);
                } else {
                    j.begin("ResponseTxn");
                    txnBody(j, (TxnResponse) op);
                }
                j.end().end().end();
            }
            j.endArray();
        }
    }

    /** The protobuf header as a nested object; left out when the server sent none. */
    private static void header(Json j, ResponseHeader h) {
        if (h == null) {
            return;
        }
        j.begin("header");
        headerFields(j, h);
        j.end();
    }

    private static void headerFields(Json j, ResponseHeader h) {
        if (h == null) {
            return;
        }
        j.unsigned("cluster_id", h.clusterId()).unsigned("member_id", h.memberId())
                .num("revision", h.revision(), true).num("raft_term", h.raftTerm(), true);
    }

    private static void kv(Json j, String name, KeyValue kv) {
        j.begin(name);
        kvObject(j, kv);
        j.end();
    }

    private static void kvObject(Json j, KeyValue kv) {
        j.bytes("key", kv.key().unsafeArray(), true)
                .num("create_revision", kv.createRevision(), true)
                .num("mod_revision", kv.modRevision(), true)
                .num("version", kv.version(), true)
                .bytes("value", kv.value().unsafeArray(), true)
                .num("lease", kv.lease(), true);
    }

    private void print(Json j) {
        out.println(j);
    }
}
