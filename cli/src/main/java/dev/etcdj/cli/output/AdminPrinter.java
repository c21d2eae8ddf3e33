package dev.etcdj.cli.output;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.AuthResponse;
import dev.etcdj.client.HashKvResponse;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.MoveLeaderResponse;
import dev.etcdj.client.Permission;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.RoleListResponse;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.client.UserGetResponse;
import dev.etcdj.client.UserListResponse;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * etcdctl 3.4's output for the cluster, maintenance and auth commands in each {@code --write-out}
 * format (printer.go, printer_simple.go, printer_json.go, printer_fields.go, printer_table.go).
 * What etcdctl's printers do not support fails as it does: "&lt;format&gt; not supported as output format"
 * (exit 4), or, where etcdctl dereferences a nil printer or header, a Go panic.
 */
public final class AdminPrinter {

    /** Thrown where etcdctl exits with ExitBadFeature: the format has no printer for this response. */
    public static final class Unsupported extends RuntimeException {
        public Unsupported(String format) {
            super(format + " not supported as output format", null, false, false);
        }
    }

    /** Thrown where etcdctl panics (a printer method it never implemented, or a nil header). */
    public static final class Panic extends RuntimeException {
        public Panic(String message) {
            super(message, null, false, false);
        }
    }

    /** One endpoint's health, as etcdctl's epHealth; {@code error} empty when healthy. */
    public record EpHealth(String endpoint, boolean health, String took, String error) {}

    public record EpStatus(String endpoint, StatusResponse status) {}

    public record EpHashKv(String endpoint, HashKvResponse hashKv) {}

    private static final String NIL_DEREF = "runtime error: invalid memory address or nil pointer dereference";

    private final String format;
    private final PrintStream out;
    private final PrintStream err;

    public AdminPrinter(String format, PrintStream out, PrintStream err) {
        this.format = format;
        this.out = out;
        this.err = err;
    }

    public boolean isSimple() {
        return format.equals("simple");
    }

    // ---- members ----

    public void memberAdd(MemberAddResponse r) {
        switch (format) {
            case "simple" -> line("Member " + GoFormat.hexPad16(r.member().id()) + " added to cluster "
                    + GoFormat.hexPad16(r.header().clusterId()));
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                j.begin("member");
                member(j, r.member());
                j.end();
                members(j, r.members());
                print(j.end());
            }
            default -> throw new Unsupported(format);
        }
    }

    public void memberRemove(long id, MemberListResponse r) {
        memberChange(id, r, "removed from");
    }

    public void memberUpdate(long id, MemberListResponse r) {
        memberChange(id, r, "updated in");
    }

    public void memberPromote(long id, MemberListResponse r) {
        if (!isSimple()) {
            // etcdctl's printerRPC has no MemberPromote: the call reaches a nil printer.
            throw new Panic(NIL_DEREF);
        }
        memberChange(id, r, "promoted in");
    }

    private void memberChange(long id, MemberListResponse r, String what) {
        switch (format) {
            case "simple" -> line("Member " + GoFormat.hexPad16(id) + " " + what + " cluster "
                    + GoFormat.hexPad16(r.header().clusterId()));
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                members(j, r.members());
                print(j.end());
            }
            default -> throw new Unsupported(format);
        }
    }

    public void memberList(MemberListResponse r) {
        List<String[]> rows = new ArrayList<>();
        for (Member m : r.members()) {
            rows.add(new String[] {Long.toHexString(m.id()), m.name().isEmpty() ? "unstarted" : "started", m.name(),
                    String.join(",", m.peerUrls()), String.join(",", m.clientUrls()), Boolean.toString(m.learner())});
        }
        switch (format) {
            case "simple" -> simpleRows(rows);
            case "table" -> table(new String[] {"ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner"}, rows);
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                members(j, r.members());
                print(j.end());
            }
            case "fields" -> {
                fieldsHeader(r.header());
                for (Member m : r.members()) {
                    field("ID", Long.toUnsignedString(m.id()));
                    field("Name", GoFormat.quote(m.name()));
                    for (String u : m.peerUrls()) {
                        field("PeerURL", GoFormat.quote(u));
                    }
                    for (String u : m.clientUrls()) {
                        field("ClientURL", GoFormat.quote(u));
                    }
                    field("IsLearner", Boolean.toString(m.learner()));
                    line("");
                }
            }
            default -> throw new Unsupported(format);
        }
    }

    private static void members(Json j, List<Member> ms) {
        if (ms.isEmpty()) {
            return;
        }
        j.beginArray("members");
        for (Member m : ms) {
            j.begin();
            member(j, m);
            j.end();
        }
        j.endArray();
    }

    /** pb.Member: ID, name, peerURLs, clientURLs, isLearner, all omitempty. */
    private static void member(Json j, Member m) {
        j.unsigned("ID", m.id());
        if (!m.name().isEmpty()) {
            j.string("name", m.name());
        }
        strings(j, "peerURLs", m.peerUrls());
        strings(j, "clientURLs", m.clientUrls());
        j.bool("isLearner", m.learner(), true);
    }

    // ---- endpoints ----

    public void endpointHealth(List<EpHealth> hs) {
        List<String[]> rows = new ArrayList<>();
        for (EpHealth h : hs) {
            rows.add(new String[] {h.endpoint(), Boolean.toString(h.health()), h.took(), h.error()});
        }
        switch (format) {
            case "simple" -> {
                for (EpHealth h : hs) {
                    if (h.error().isEmpty()) {
                        err.println(h.endpoint() + " is healthy: successfully committed proposal: took = " + h.took());
                    } else {
                        err.println(h.endpoint() + " is unhealthy: failed to commit proposal: " + h.error());
                    }
                }
            }
            case "table" -> table(new String[] {"endpoint", "health", "took", "error"}, rows);
            case "json" -> {
                Json j = new Json().beginArrayValue();
                for (EpHealth h : hs) {
                    j.begin().string("endpoint", h.endpoint()).bool("health", h.health(), false)
                            .string("took", h.took());
                    if (!h.error().isEmpty()) {
                        j.string("error", h.error());
                    }
                    j.end();
                }
                print(j.endArray());
            }
            case "fields" -> {
                for (EpHealth h : hs) {
                    field("Endpoint", GoFormat.quote(h.endpoint()));
                    field("Health", Boolean.toString(h.health()));
                    field("Took", h.took());
                    field("Error", h.error());
                    line("");
                }
            }
            default -> throw new Unsupported(format);
        }
    }

    public void endpointStatus(List<EpStatus> ss) {
        List<String[]> rows = new ArrayList<>();
        for (EpStatus e : ss) {
            StatusResponse s = e.status();
            rows.add(new String[] {e.endpoint(), Long.toHexString(s.header().memberId()), s.version(),
                    humanBytes(s.dbSize()), Boolean.toString(s.leader() == s.header().memberId()),
                    Boolean.toString(s.learner()), Long.toUnsignedString(s.raftTerm()),
                    Long.toUnsignedString(s.raftIndex()), Long.toUnsignedString(s.raftAppliedIndex()),
                    String.join(", ", s.errors())});
        }
        switch (format) {
            case "simple" -> simpleRows(rows);
            case "table" -> table(new String[] {"endpoint", "ID", "version", "db size", "is leader", "is learner",
                    "raft term", "raft index", "raft applied index", "errors"}, rows);
            case "json" -> {
                Json j = new Json().beginArrayValue();
                for (EpStatus e : ss) {
                    StatusResponse s = e.status();
                    j.begin().string("Endpoint", e.endpoint()).begin("Status");
                    header(j, s.header());
                    if (!s.version().isEmpty()) {
                        j.string("version", s.version());
                    }
                    j.num("dbSize", s.dbSize(), true).unsigned("leader", s.leader()).unsigned("raftIndex", s.raftIndex())
                            .unsigned("raftTerm", s.raftTerm()).unsigned("raftAppliedIndex", s.raftAppliedIndex());
                    strings(j, "errors", s.errors());
                    j.num("dbSizeInUse", s.dbSizeInUse(), true).bool("isLearner", s.learner(), true);
                    j.end().end();
                }
                print(j.endArray());
            }
            case "fields" -> {
                for (EpStatus e : ss) {
                    StatusResponse s = e.status();
                    fieldsHeader(s.header());
                    field("Version", GoFormat.quote(s.version()));
                    field("DBSize", Long.toString(s.dbSize()));
                    field("Leader", Long.toUnsignedString(s.leader()));
                    field("IsLearner", Boolean.toString(s.learner()));
                    field("RaftIndex", Long.toUnsignedString(s.raftIndex()));
                    field("RaftTerm", Long.toUnsignedString(s.raftTerm()));
                    field("RaftAppliedIndex", Long.toUnsignedString(s.raftAppliedIndex()));
                    field("Errors", "[" + String.join(" ", s.errors()) + "]");
                    field("Endpoint", GoFormat.quote(e.endpoint()));
                    line("");
                }
            }
            default -> throw new Unsupported(format);
        }
    }

    /** etcdctl's snapshot status: hash (%x in simple/table), revision, total keys, total size. */
    public void dbStatus(long hash, long revision, long totalKey, long totalSize) {
        String[] row = {Long.toHexString(hash), Long.toString(revision), Long.toString(totalKey), humanBytes(totalSize)};
        switch (format) {
            case "simple" -> line(String.join(", ", row));
            case "table" -> table(new String[] {"hash", "revision", "total keys", "total size"}, List.<String[]>of(row));
            case "json" -> print(new Json().begin().num("hash", hash, false).num("revision", revision, false)
                    .num("totalKey", totalKey, false).num("totalSize", totalSize, false).end());
            case "fields" -> {
                line("\"Hash\" : " + hash);
                line("\"Revision\" : " + revision);
                line("\"Keys\" : " + totalKey);
                line("\"Size\" : " + totalSize);
            }
            default -> throw new Unsupported(format);
        }
    }

    public void endpointHashKv(List<EpHashKv> hs) {
        List<String[]> rows = new ArrayList<>();
        for (EpHashKv h : hs) {
            rows.add(new String[] {h.endpoint(), Long.toString(h.hashKv().hash())});
        }
        switch (format) {
            case "simple" -> simpleRows(rows);
            case "table" -> table(new String[] {"endpoint", "hash"}, rows);
            case "json" -> {
                Json j = new Json().beginArrayValue();
                for (EpHashKv h : hs) {
                    j.begin().string("Endpoint", h.endpoint()).begin("HashKV");
                    header(j, h.hashKv().header());
                    j.num("hash", h.hashKv().hash(), true).num("compact_revision", h.hashKv().compactRevision(), true);
                    j.end().end();
                }
                print(j.endArray());
            }
            case "fields" -> {
                for (EpHashKv h : hs) {
                    fieldsHeader(h.hashKv().header());
                    field("Endpoint", GoFormat.quote(h.endpoint()));
                    field("Hash", Long.toString(h.hashKv().hash()));
                    line("");
                }
            }
            default -> throw new Unsupported(format);
        }
    }

    // ---- maintenance ----

    public void alarm(AlarmResponse r) {
        switch (format) {
            // %+v of a *pb.AlarmMember: gogoproto's compact text form, with its trailing space.
            case "simple" -> r.alarms().forEach(a -> line("memberID:" + Long.toUnsignedString(a.memberId())
                    + " alarm:" + a.type().name() + " "));
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                if (!r.alarms().isEmpty()) {
                    j.beginArray("alarms");
                    for (AlarmMember a : r.alarms()) {
                        j.begin().unsigned("memberID", a.memberId()).num("alarm", a.type().ordinal(), true).end();
                    }
                    j.endArray();
                }
                print(j.end());
            }
            case "fields" -> {
                fieldsHeader(r.header());
                for (AlarmMember a : r.alarms()) {
                    field("MemberID", Long.toUnsignedString(a.memberId()));
                    field("AlarmType", a.type().name());
                    line("");
                }
            }
            default -> throw new Unsupported(format);
        }
    }

    public void moveLeader(long leader, long target, MoveLeaderResponse r) {
        switch (format) {
            case "simple" -> line("Leadership transferred from " + Long.toHexString(leader) + " to "
                    + Long.toHexString(target));
            case "json" -> headerOnly(r.header());
            default -> throw new Unsupported(format);
        }
    }

    // ---- auth ----

    /** The responses etcdctl prints as their header alone in json and fields; {@code simple} is the line given. */
    public void authChange(AuthResponse r, String simpleLine) {
        switch (format) {
            case "simple" -> line(simpleLine);
            case "json" -> headerOnly(r.header());
            case "fields" -> fieldsHeader(r.header());
            default -> throw new Unsupported(format);
        }
    }

    public void roleRevokePermission(String role, byte[] key, byte[] end, AuthResponse r) {
        if (!isSimple()) {
            authChange(r, "");
            return;
        }
        if (end.length == 0) {
            raw("Permission of key ", key, " is revoked from role " + role + "\n");
        } else if (end.length == 1 && end[0] == 0) {
            raw("Permission of range [", key, ", <open ended> is revoked from role " + role + "\n");
        } else {
            raw("Permission of range [", key, ", ");
            raw("", end, ") is revoked from role " + role + "\n");
        }
    }

    public void userGet(String name, UserGetResponse r) {
        switch (format) {
            case "simple" -> {
                StringBuilder sb = new StringBuilder("Roles:");
                r.roles().forEach(role -> sb.append(' ').append(role));
                line("User: " + name);
                line(sb.toString());
            }
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                strings(j, "roles", r.roles());
                print(j.end());
            }
            default -> throw new Unsupported(format);
        }
    }

    public void userList(UserListResponse r) {
        switch (format) {
            case "simple" -> r.users().forEach(this::line);
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                strings(j, "users", r.users());
                print(j.end());
            }
            default -> throw new Unsupported(format);
        }
    }

    public void roleList(RoleListResponse r) {
        switch (format) {
            case "simple" -> r.roles().forEach(this::line);
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                strings(j, "roles", r.roles());
                print(j.end());
            }
            case "fields" -> {
                fieldsHeader(r.header());
                StringBuilder sb = new StringBuilder("\"Roles\" :");
                r.roles().forEach(role -> sb.append(' ').append(GoFormat.quote(role)));
                line(sb.toString());
            }
            default -> throw new Unsupported(format);
        }
    }

    public void roleGet(String role, RoleGetResponse r) {
        switch (format) {
            case "simple" -> {
                line("Role " + role);
                line("KV Read:");
                for (Permission p : r.permissions()) {
                    if (p.type() == Permission.Type.READ || p.type() == Permission.Type.READWRITE) {
                        permLine(p);
                    }
                }
                line("KV Write:");
                for (Permission p : r.permissions()) {
                    if (p.type() == Permission.Type.WRITE || p.type() == Permission.Type.READWRITE) {
                        permLine(p);
                    }
                }
            }
            case "json" -> {
                Json j = new Json().begin();
                header(j, r.header());
                if (!r.permissions().isEmpty()) {
                    j.beginArray("perm");
                    for (Permission p : r.permissions()) {
                        j.begin().num("permType", p.type().ordinal(), true).bytes("key", p.key().unsafeArray(), true)
                                .bytes("range_end", p.rangeEnd().unsafeArray(), true).end();
                    }
                    j.endArray();
                }
                print(j.end());
            }
            case "fields" -> {
                fieldsHeader(r.header());
                for (Permission p : r.permissions()) {
                    // fmt.Println(`"PermType" : `, ...): Println adds a second space.
                    line("\"PermType\" :  " + p.type().name());
                    line("\"Key\" : " + GoFormat.quote(p.key().unsafeArray()));
                    line("\"RangeEnd\" : " + GoFormat.quote(p.rangeEnd().unsafeArray()));
                }
            }
            default -> throw new Unsupported(format);
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
        if (java.util.Arrays.equals(prefixEnd(key), end)) {
            raw(" (prefix ", key, ")");
        }
        out.write('\n');
    }

    /** clientv3.GetPrefixRangeEnd: the key with its last byte below 0xff incremented, else "\x00". */
    public static byte[] prefixEnd(byte[] key) {
        byte[] end = key.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return java.util.Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0};
    }

    // ---- formats ----

    private void headerOnly(ResponseHeader h) {
        Json j = new Json().begin();
        header(j, h);
        print(j.end());
    }

    /** A header the server did not send comes back all zero: Go leaves the nil pointer out. */
    private static void header(Json j, ResponseHeader h) {
        if (h == null || h.equals(ResponseHeader.EMPTY)) {
            return;
        }
        j.begin("header").unsigned("cluster_id", h.clusterId()).unsigned("member_id", h.memberId())
                .num("revision", h.revision(), true).num("raft_term", h.raftTerm(), true).end();
    }

    private void fieldsHeader(ResponseHeader h) {
        if (h == null || h.equals(ResponseHeader.EMPTY)) {
            // printer_fields.go's hdr dereferences the nil header.
            throw new Panic(NIL_DEREF);
        }
        field("ClusterID", Long.toUnsignedString(h.clusterId()));
        field("MemberID", Long.toUnsignedString(h.memberId()));
        field("Revision", Long.toString(h.revision()));
        field("RaftTerm", Long.toUnsignedString(h.raftTerm()));
    }

    private static void strings(Json j, String name, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        j.beginArray(name);
        for (String v : values) {
            j.stringValue(v);
        }
        j.endArray();
    }

    private void simpleRows(List<String[]> rows) {
        for (String[] row : rows) {
            line(String.join(", ", row));
        }
    }

    /**
     * olekukonko/tablewriter as etcdctl sets it up: upper-case centred headers, every cell right
     * aligned, one space of padding, +-| borders.
     */
    private void table(String[] header, List<String[]> rows) {
        int[] w = new int[header.length];
        String[] hdr = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            hdr[i] = header[i].toUpperCase(java.util.Locale.ROOT);
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

    private void field(String name, String value) {
        line("\"" + name + "\" : " + value);
    }

    private void line(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
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

    private void print(Json j) {
        line(j.toString());
    }

    /** go-humanize's Bytes: SI units, one decimal below 10, Go's round-half-even %.Nf. */
    public static String humanBytes(long size) {
        if (size < 10) {
            return size + " B";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
        double s = Long.compareUnsigned(size, 0) < 0 ? size + 0x1p64 : size;
        int e = (int) Math.floor(Math.log(s) / Math.log(1000));
        double val = Math.floor(s / Math.pow(1000, e) * 10 + 0.5) / 10;
        int decimals = val < 10 ? 1 : 0;
        return new BigDecimal(val).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString() + " " + units[e];
    }

    /** Go's time.Duration.String(). */
    public static String goDuration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean neg = nanos < 0;
        long u = Math.abs(nanos);
        String s;
        if (u < 1_000L) {
            s = u + "ns";
        } else if (u < 1_000_000L) {
            s = fraction(u, 3) + "µs";
        } else if (u < 1_000_000_000L) {
            s = fraction(u, 6) + "ms";
        } else {
            long secs = u / 1_000_000_000L;
            String frac = fraction(u % 1_000_000_000L + 1_000_000_000L, 9);
            // frac is "1.xxx" for the fractional part: keep what follows the "1".
            String secPart = (secs % 60) + frac.substring(1) + "s";
            long mins = secs / 60;
            if (mins == 0) {
                s = secPart;
            } else if (mins < 60) {
                s = mins + "m" + secPart;
            } else {
                s = (mins / 60) + "h" + (mins % 60) + "m" + secPart;
            }
        }
        return neg ? "-" + s : s;
    }

    /** v / 10^digits with the trailing zeros of the fraction (and a bare point) removed. */
    private static String fraction(long v, int digits) {
        return BigDecimal.valueOf(v, digits).stripTrailingZeros().toPlainString();
    }
}
