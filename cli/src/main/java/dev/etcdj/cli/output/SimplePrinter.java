package dev.etcdj.cli.output;

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
import java.nio.charset.StandardCharsets;
import java.util.List;

/** etcdctl's default "simple" output (printer_simple.go). */
public final class SimplePrinter implements Printer {

    private final PrintStream out;
    private final boolean hex;
    private boolean valueOnly;

    public SimplePrinter(PrintStream out, boolean hex) {
        this.out = out;
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
            if (op instanceof PutResponse p) {
                put(p);
            } else if (op instanceof GetResponse g) {
                get(g);
            } else if (op instanceof DeleteResponse d) {
                del(d);
            } else {
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
        out.write(s.getBytes(StandardCharsets.UTF_8), 0, s.getBytes(StandardCharsets.UTF_8).length);
        out.write('\n');
    }
}
