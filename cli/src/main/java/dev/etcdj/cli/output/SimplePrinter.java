package dev.etcdj.cli.output;

import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.AuthResponse;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseRevokeResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.MoveLeaderResponse;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.RoleListResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.UserGetResponse;
import dev.etcdj.client.UserListResponse;
import dev.etcdj.client.WatchEvent;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** etcdctl's default "simple" output (printer_simple.go). */
public final class SimplePrinter extends OutputPrinter {

    private final PrintStream err;
    private final boolean hex;
    private boolean valueOnly;

    /** {@code err} takes what etcdctl's simple printer writes to stderr: endpoint health lines. */
    public SimplePrinter(PrintStream out, PrintStream err, boolean hex) {
        super(out, "simple");
        this.err = err;
        this.hex = hex;
    }

    /** get --print-value-only. */
    public void valueOnly(boolean valueOnly) {
        this.valueOnly = valueOnly;
    }

    @Override
    public void get(GetResponse r) {
        for (KeyValue kv : r.kvs()) {
            printKv(kv);
        }
    }

    @Override
    public void put(PutResponse r) {
        println("OK");
        r.prevKv().ifPresent(this::printKv);
    }

    @Override
    public void del(DeleteResponse r) {
        println(Long.toString(r.deleted()));
        for (KeyValue kv : r.prevKvs()) {
            printKv(kv);
        }
    }

    @Override
    public void txn(TxnResponse r) {
        println(r.succeeded() ? "SUCCESS" : "FAILURE");
        for (OpResponse op : r.responses()) {
            println("");
            if (!txnOp(op)) {
                println("unexpected response " + op);
            }
        }
    }

    @Override
    public void watch(ResponseHeader header, List<WatchEvent> events, long compactRevision, boolean canceled) {
        for (WatchEvent e : events) {
            println(e.type().name());
            e.prevKv().ifPresent(this::printKv);
            printKv(e.kv());
        }
    }

    @Override
    public void grant(LeaseGrantResponse r) {
        println("lease " + GoFormat.hex16(r.leaseId()) + " granted with TTL(" + r.ttl() + "s)");
    }

    @Override
    public void revoke(long leaseId, LeaseRevokeResponse r) {
        println("lease " + GoFormat.hex16(leaseId) + " revoked");
    }

    @Override
    public void keepAlive(LeaseKeepAliveResponse r) {
        println("lease " + GoFormat.hex16(r.leaseId()) + " keepalived with TTL(" + r.ttl() + ")");
    }

    @Override
    public void timeToLive(LeaseTimeToLiveResponse r, boolean keys) {
        if (r.grantedTtl() == 0 && r.ttl() == -1) {
            println("lease " + GoFormat.hex16(r.leaseId()) + " already expired");
            return;
        }
        StringBuilder txt = new StringBuilder("lease ").append(GoFormat.hex16(r.leaseId()))
                .append(" granted with TTL(").append(r.grantedTtl()).append("s), remaining(")
                .append(r.ttl()).append("s)");
        if (keys) {
            // Go's %v of a []string: [a b c]
            txt.append(", attached keys([");
            for (int i = 0; i < r.keys().size(); i++) {
                if (i > 0) {
                    txt.append(' ');
                }
                txt.append(r.keys().get(i).toStringUtf8());
            }
            txt.append("])");
        }
        println(txt.toString());
    }

    @Override
    public void leases(LeaseListResponse r) {
        println("found " + r.leaseIds().size() + " leases");
        for (long id : r.leaseIds()) {
            println(GoFormat.hex16(id));
        }
    }

    // ---- cluster and maintenance ----

    @Override
    public void memberAdd(MemberAddResponse r) {
        println("Member " + GoFormat.hexPad16(r.member().id()) + " added to cluster "
                + GoFormat.hexPad16(r.header().clusterId()));
    }

    @Override
    public void memberRemove(long id, MemberListResponse r) {
        memberChange(id, r, "removed from");
    }

    @Override
    public void memberUpdate(long id, MemberListResponse r) {
        memberChange(id, r, "updated in");
    }

    @Override
    public void memberPromote(long id, MemberListResponse r) {
        memberChange(id, r, "promoted in");
    }

    private void memberChange(long id, MemberListResponse r, String what) {
        println("Member " + GoFormat.hexPad16(id) + " " + what + " cluster " + GoFormat.hexPad16(r.header().clusterId()));
    }

    @Override
    public void memberList(MemberListResponse r) {
        rows(TablePrinter.memberRows(r));
    }

    @Override
    public void endpointHealth(List<EpHealth> hs) {
        for (EpHealth h : hs) {
            if (h.error().isEmpty()) {
                err.println(h.endpoint() + " is healthy: successfully committed proposal: took = " + h.took());
            } else {
                err.println(h.endpoint() + " is unhealthy: failed to commit proposal: " + h.error());
            }
        }
    }

    @Override
    public void endpointStatus(List<EpStatus> ss) {
        rows(TablePrinter.statusRows(ss));
    }

    @Override
    public void endpointHashKv(List<EpHashKv> hs) {
        rows(TablePrinter.hashKvRows(hs));
    }

    @Override
    public void dbStatus(long hash, long revision, long totalKey, long totalSize) {
        rows(List.<String[]>of(TablePrinter.dbStatusRow(hash, revision, totalKey, totalSize)));
    }

    @Override
    public void alarm(AlarmResponse r) {
        // %+v of a *pb.AlarmMember: gogoproto's compact text form, with its trailing space.
        r.alarms().forEach(a -> println("memberID:" + Long.toUnsignedString(a.memberId()) + " alarm:" + a.type().name() + " "));
    }

    @Override
    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        println("Leadership transferred from " + Long.toHexString(leader) + " to " + Long.toHexString(target));
    }

    private void rows(List<String[]> rows) {
        for (String[] row : rows) {
            println(String.join(", ", row));
        }
    }

    // ---- auth ----

    @Override
    public void authChange(AuthResponse r, String simpleLine) {
        println(simpleLine);
    }

    @Override
    public void roleRevokePermission(String role, byte[] key, byte[] end, AuthResponse r) {
        if (end.length == 0) {
            raw("Permission of key ", key, " is revoked from role " + role + "\n");
        } else if (end.length == 1 && end[0] == 0) {
            raw("Permission of range [", key, ", <open ended> is revoked from role " + role + "\n");
        } else {
            raw("Permission of range [", key, ", ");
            raw("", end, ") is revoked from role " + role + "\n");
        }
    }

    @Override
    public void userGet(String name, UserGetResponse r) {
        StringBuilder sb = new StringBuilder("Roles:");
        r.roles().forEach(role -> sb.append(' ').append(role));
        println("User: " + name);
        println(sb.toString());
    }

    @Override
    public void userList(UserListResponse r) {
        r.users().forEach(this::println);
    }

    @Override
    public void roleList(RoleListResponse r) {
        r.roles().forEach(this::println);
    }

    @Override
    public void roleGet(String role, RoleGetResponse r) {
        println("Role " + role);
        println("KV Read:");
        for (Permission p : r.permissions()) {
            if (p.type() == Permission.Type.READ || p.type() == Permission.Type.READWRITE) {
                permLine(p);
            }
        }
        println("KV Write:");
        for (Permission p : r.permissions()) {
            if (p.type() == Permission.Type.WRITE || p.type() == Permission.Type.READWRITE) {
                permLine(p);
            }
        }
    }

    /** printer_simple.go's RoleGet lines: a key, a range, an open-ended range, a prefix. */
    private void permLine(Permission p) {
        byte[] key = p.key().unsafeArray();
        byte[] end = p.rangeEnd().unsafeArray();
        if (end.length == 0) {
            raw("\t", key, "\n");
            return;
        }
        if (end.length == 1 && end[0] == 0) {
            raw("\t[", key, ", <open ended>");
        } else {
            raw("\t[", key, ", ");
            raw("", end, ")");
        }
        if (Arrays.equals(GoFormat.prefixEnd(key), end)) {
            raw(" (prefix ", key, ")");
        }
        out.write('\n');
    }

    /** Raw key bytes between two texts, as Go's %s writes them. */
    private void raw(String before, byte[] bytes, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        out.write(a, 0, a.length);
        out.write(bytes, 0, bytes.length);
        out.write(c, 0, c.length);
    }

    private void printKv(KeyValue kv) {
        if (!valueOnly) {
            printBytes(kv.key().unsafeArray());
        }
        printBytes(kv.value().unsafeArray());
    }

    private void printBytes(byte[] b) {
        if (hex) {
            println(GoFormat.hexEscaped(b));
        } else {
            // Raw bytes, exactly as etcdctl writes them (not necessarily UTF-8).
            out.write(b, 0, b.length);
            out.write('\n');
        }
    }

    private void println(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write('\n');
    }
}
