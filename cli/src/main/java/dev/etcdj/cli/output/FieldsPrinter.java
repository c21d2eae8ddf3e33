package dev.etcdj.cli.output;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.AuthResponse;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.RoleListResponse;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import java.io.PrintStream;
import java.util.List;

/** etcdctl's {@code -w fields} output (printer_fields.go): one {@code "Name" : value} line per field. */
public final class FieldsPrinter extends OutputPrinter {

    public FieldsPrinter(PrintStream out) {
        super(out, "fields");
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
            if (!txnOp(op)) {
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
        lease(r.header(), r.leaseId(), r.ttl());
    }

    @Override
    public void revoke(long leaseId, LeaseRevokeResponse r) {
        hdr(r.header());
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        lease(r.header(), r.leaseId(), r.ttl());
    }

    /** A granted or renewed lease: the header, its ID and TTL. */
    private void lease(ResponseHeader header, long id, long ttl) {
        hdr(header);
        line("ID", Long.toString(id));
        line("TTL", Long.toString(ttl));
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

    // ---- cluster, maintenance and auth ----

    @Override
    public void memberList(MemberListResponse r) {
        sentHdr(r.header());
        for (Member m : r.members()) {
            line("ID", Long.toUnsignedString(m.id()));
            line("Name", GoFormat.quote(m.name()));
            for (String u : m.peerUrls()) {
                line("PeerURL", GoFormat.quote(u));
            }
            for (String u : m.clientUrls()) {
                line("ClientURL", GoFormat.quote(u));
            }
            line("IsLearner", Boolean.toString(m.learner()));
            out.println();
        }
    }

    @Override
    public void endpointHealth(List<EpHealth> hs) {
        for (EpHealth h : hs) {
            line("Endpoint", GoFormat.quote(h.endpoint()));
            line("Health", Boolean.toString(h.health()));
            line("Took", h.took());
            line("Error", h.error());
            out.println();
        }
    }

    @Override
    public void endpointStatus(List<EpStatus> ss) {
        for (EpStatus e : ss) {
            StatusResponse s = e.status();
            sentHdr(s.header());
            line("Version", GoFormat.quote(s.version()));
            line("DBSize", Long.toString(s.dbSize()));
            line("Leader", Long.toUnsignedString(s.leader()));
            line("IsLearner", Boolean.toString(s.learner()));
            line("RaftIndex", Long.toUnsignedString(s.raftIndex()));
            line("RaftTerm", Long.toUnsignedString(s.raftTerm()));
            line("RaftAppliedIndex", Long.toUnsignedString(s.raftAppliedIndex()));
            line("Errors", "[" + String.join(" ", s.errors()) + "]");
            line("Endpoint", GoFormat.quote(e.endpoint()));
            out.println();
        }
    }

    @Override
    public void dbStatus(long hash, long revision, long totalKey, long totalSize) {
        line("Hash", Long.toString(hash));
        line("Revision", Long.toString(revision));
        line("Keys", Long.toString(totalKey));
        line("Size", Long.toString(totalSize));
    }

    @Override
    public void endpointHashKv(List<EpHashKv> hs) {
        for (EpHashKv h : hs) {
            sentHdr(h.hashKv().header());
            line("Endpoint", GoFormat.quote(h.endpoint()));
            line("Hash", Long.toString(h.hashKv().hash()));
            out.println();
        }
    }

    @Override
    public void alarm(AlarmResponse r) {
        sentHdr(r.header());
        for (AlarmMember a : r.alarms()) {
            line("MemberID", Long.toUnsignedString(a.memberId()));
            line("AlarmType", a.type().name());
            out.println();
        }
    }

    @Override
    public void authChange(AuthResponse r, String simpleLine) {
        sentHdr(r.header());
    }

    @Override
    public void roleList(RoleListResponse r) {
        sentHdr(r.header());
        StringBuilder sb = new StringBuilder("\"Roles\" :");
        r.roles().forEach(role -> sb.append(' ').append(GoFormat.quote(role)));
        out.println(sb);
    }

    @Override
    public void roleGet(String role, RoleGetResponse r) {
        sentHdr(r.header());
        for (Permission p : r.permissions()) {
            // fmt.Println(`"PermType" : `, ...): Println adds a second space.
            out.println("\"PermType\" :  " + p.type().name());
            line("Key", GoFormat.quote(p.key().unsafeArray()));
            line("RangeEnd", GoFormat.quote(p.rangeEnd().unsafeArray()));
        }
    }

    /** The header of a cluster, maintenance or auth response: printer_fields.go's hdr dereferences a nil one. */
    private void sentHdr(ResponseHeader h) {
        if (h == null || h.equals(ResponseHeader.EMPTY)) {
            throw new Panic(NIL_DEREF);
        }
        hdr(h);
    }

    private void hdr(ResponseHeader h) {
        ResponseHeader x = h == null ? ResponseHeader.EMPTY : h;
        line("ClusterID", Long.toUnsignedString(x.clusterId()));
        line("MemberID", Long.toUnsignedString(x.memberId()));
        line("Revision", Long.toString(x.revision()));
        line("RaftTerm", Long.toUnsignedString(x.raftTerm()));
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
