package dev.etcdj.cli.output;

import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.StatusResponse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * etcdctl's {@code -w table} (printer_table.go): member and endpoint listings only, everything else
 * unsupported. The rows are those the simple printer joins with ", " (printer.go's makeXTable).
 */
public final class TablePrinter extends OutputPrinter {

    public TablePrinter(PrintStream out) {
        super(out, "table");
    }

    @Override
    public void memberList(MemberListResponse r) {
        table(new String[] {"ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"}, memberRows(r));
    }

    @Override
    public void endpointHealth(List<EpHealth> hs) {
        List<String[]> rows = new ArrayList<>();
        for (EpHealth h : hs) {
            rows.add(new String[] {h.endpoint(), Boolean.toString(h.health()), h.took(), h.error()});
        }
        table(new String[] {"endpoint", "health", "took", "error"}, rows);
    }

    @Override
    public void endpointStatus(List<EpStatus> ss) {
        table(new String[] {"endpoint", "ID", "version", "db size", "is leader", "is learner",
                "raft term", "raft index", "raft applied index", "errors"}, statusRows(ss));
    }

    @Override
    public void endpointHashKv(List<EpHashKv> hs) {
        table(new String[] {"endpoint", "hash"}, hashKvRows(hs));
    }

    @Override
    public void dbStatus(long hash, long revision, long totalKey, long totalSize) {
        table(new String[] {"hash", "revision", "total keys", "total size"},
                List.<String[]>of(dbStatusRow(hash, revision, totalKey, totalSize)));
    }

    /** etcdctl's makeDBStatusTable: the hash in hex, the size as go-humanize prints it. */
    static String[] dbStatusRow(long hash, long revision, long totalKey, long totalSize) {
        return new String[] {Long.toHexString(hash), Long.toString(revision), Long.toString(totalKey),
                GoFormat.humanBytes(totalSize)};
    }

    static List<String[]> memberRows(MemberListResponse r) {
        List<String[]> rows = new ArrayList<>();
        for (Member m : r.members()) {
            rows.add(new String[] {Long.toHexString(m.id()), m.name().isEmpty() ? "unstarted" : "started", m.name(),
                    String.join(",", m.peerUrls()), String.join(",", m.clientUrls()), Boolean.toString(m.learner())});
        }
        return rows;
    }

    static List<String[]> statusRows(List<EpStatus> ss) {
        List<String[]> rows = new ArrayList<>();
        for (EpStatus e : ss) {
            StatusResponse s = e.status();
            rows.add(new String[] {e.endpoint(), Long.toHexString(s.header().memberId()), s.version(),
                    GoFormat.humanBytes(s.dbSize()), Boolean.toString(s.leader() == s.header().memberId()),
                    Boolean.toString(s.learner()), Long.toUnsignedString(s.raftTerm()),
                    Long.toUnsignedString(s.raftIndex()), Long.toUnsignedString(s.raftAppliedIndex()),
                    String.join(", ", s.errors())});
        }
        return rows;
    }

    static List<String[]> hashKvRows(List<EpHashKv> hs) {
        List<String[]> rows = new ArrayList<>();
        for (EpHashKv h : hs) {
            rows.add(new String[] {h.endpoint(), Long.toString(h.hashKv().hash())});
        }
        return rows;
    }

    /**
     * olekukonko/tablewriter as etcdctl sets it up: upper-case centred headers, every cell right
     * aligned, one space of padding, +-| borders.
     */
    private void table(String[] header, List<String[]> rows) {
        int[] w = new int[header.length];
        String[] hdr = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            hdr[i] = header[i].toUpperCase(Locale.ROOT);
            w[i] = width(hdr[i]);
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], width(r[i]));
            }
        }
        StringBuilder sep = new StringBuilder("+");
        for (int x : w) {
            sep.append("-".repeat(x + 2)).append('+');
        }
        line(sep.toString());
        StringBuilder h = new StringBuilder("|");
        for (int i = 0; i < hdr.length; i++) {
            int gap = w[i] - width(hdr[i]);
            int left = gap / 2;
            h.append(' ').append(" ".repeat(left)).append(hdr[i]).append(" ".repeat(gap - left)).append(" |");
        }
        line(h.toString());
        line(sep.toString());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder("|");
            for (int i = 0; i < r.length; i++) {
                sb.append(' ').append(" ".repeat(w[i] - width(r[i]))).append(r[i]).append(" |");
            }
            line(sb.toString());
        }
        line(sep.toString());
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private void line(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write('\n');
    }
}
