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

/** etcdctl's {@code -w fields} output (printer_fields.go): one {@code "Name" : value} line per field. */
public final class FieldsPrinter implements Printer {

    private final PrintStream out;

    public FieldsPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void get(GetResponse r) {
        hdr(r.header());
        for (KeyValue kv : r.kvs()) {
            kv("", kv);
        }
        line("More", Boolean.toString(r.more()));
        line("Count", Long.toString(r.count()));
    }

    @Override
    public void put(PutResponse r) {
        hdr(r.header());
        r.prevKv().ifPresent(p -> kv("Prev", p));
    }

    @Override
    public void del(DeleteResponse r) {
        hdr(r.header());
        line("Deleted", Long.toString(r.deleted()));
        for (KeyValue kv : r.prevKvs()) {
            kv("Prev", kv);
        }
    }

    @Override
    public void txn(TxnResponse r) {
        hdr(r.header());
        line("Succeeded", Boolean.toString(r.succeeded()));
        for (OpResponse op : r.responses()) {
            if (op instanceof PutResponse p) {
                put(p);
            } else if (op instanceof GetResponse g) {
                get(g);
            } else if (op instanceof DeleteResponse d) {
                del(d);
            } else {
                out.println("\"Unknown\" : " + GoFormat.quote(String.valueOf(op)));
            }
        }
    }

    @Override
    public void watch(ResponseHeader header, List<WatchEvent> events, long compactRevision, boolean canceled) {
        hdr(header);
        for (WatchEvent e : events) {
            line("Type", e.type().name());
            e.prevKv().ifPresent(p -> kv("Prev", p));
            kv("", e.kv());
        }
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        hdr(r.header());
        line("ID", Long.toString(r.leaseId()));
        line("TTL", Long.toString(r.ttl()));
    }

    @Override
    public void revoke(long leaseId, LeaseRevokeResponse r) {
        hdr(r.header());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        hdr(r.header());
        line("ID", Long.toString(r.leaseId()));
        line("TTL", Long.toString(r.ttl()));
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        hdr(r.header());
        line("ID", Long.toString(r.leaseId()));
        line("TTL", Long.toString(r.ttl()));
        line("GrantedTTL", Long.toString(r.grantedTtl()));
        for (Bytes k : r.keys()) {
            line("Key", GoFormat.quote(k.unsafeArray()));
        }
    }

    @Override
    public void leases(LeaseListResponse r) {
        hdr(r.header());
        for (long id : r.leaseIds()) {
            line("ID", Long.toString(id));
        }
    }

    private void hdr(ResponseHeader h) {
        ResponseHeader x = h == null ? ResponseHeader.EMPTY : h;
        line("ClusterID", Long.toUnsignedString(x.clusterId()));
        line("MemberID", Long.toUnsignedString(x.memberId()));
        line("Revision", Long.toString(x.revision()));
        line("RaftTerm", Long.toString(x.raftTerm()));
    }

    private void kv(String pfx, KeyValue kv) {
        line(pfx + "Key", GoFormat.quote(kv.key().unsafeArray()));
        line(pfx + "CreateRevision", Long.toString(kv.createRevision()));
        line(pfx + "ModRevision", Long.toString(kv.modRevision()));
        line(pfx + "Version", Long.toString(kv.version()));
        line(pfx + "Value", GoFormat.quote(kv.value().unsafeArray()));
        line(pfx + "Lease", Long.toString(kv.lease()));
    }

    private void line(String name, String value) {
        out.println("\"" + name + "\" : " + value);
    }
}
