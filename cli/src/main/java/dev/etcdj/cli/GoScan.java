package dev.etcdj.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Go text handling etcdctl's txn and interactive watch read their input with: argify's regexp and
 * quote handling, strconv.Unquote, and fmt.Sscanf's "%q) %s %q" for compares.
 */
final class GoScan {

    private static final Pattern ARG = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|[^'\"\\s]\\S*[^'\"\\s]?");

    private GoScan() {}

    /** etcdctl's argify, bug for bug: a single-quoted argument is cut by the number of arguments, not its length. */
    static List<String> argify(String s) {
        List<String> args = new ArrayList<>();
        Matcher m = ARG.matcher(s);
        while (m.find()) {
            args.add(m.group());
        }
        int n = args.size();
        for (int i = 0; i < n; i++) {
            String a = args.get(i);
            if (a.isEmpty()) {
                continue;
            }
            if (a.charAt(0) == '\'') {
                if (n - 1 < 1 || n - 1 > a.length()) {
                    throw new Main.GoPanic("runtime error: slice bounds out of range [1:" + (n - 1) + "]");
                }
                args.set(i, a.substring(1, n - 1));
            } else if (a.charAt(0) == '"') {
                try {
                    args.set(i, unquote(a));
                } catch (IllegalArgumentException e) {
                    throw new CliException(CliException.EXIT_INVALID_INPUT, e.getMessage());
                }
            }
        }
        return args;
    }

    /** strconv.Unquote of a double-quoted or back-quoted Go literal; IllegalArgumentException when malformed. */
    static String unquote(String q) {
        if (q.length() >= 2 && q.charAt(0) == '`' && q.charAt(q.length() - 1) == '`') {
            return q.substring(1, q.length() - 1);
        }
        if (q.length() < 2 || q.charAt(0) != '"' || q.charAt(q.length() - 1) != '"') {
            throw new IllegalArgumentException("invalid syntax");
        }
        byte[] src = q.substring(1, q.length() - 1).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < src.length; i++) {
            byte c = src[i];
            if (c == '"' || c == '\n') {
                throw new IllegalArgumentException("invalid syntax");
            }
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (++i >= src.length) {
                throw new IllegalArgumentException("invalid syntax");
            }
            char e = (char) src[i];
            switch (e) {
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    out.write(hex(src, i + 1, 2));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    int cp = hex(src, i + 1, len);
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    i += len;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        if (i + 2 >= src.length) {
                            throw new IllegalArgumentException("invalid syntax");
                        }
                        int v = Integer.parseInt(new String(src, i, 3, StandardCharsets.US_ASCII), 8);
                        if (v > 255) {
                            throw new IllegalArgumentException("invalid syntax");
                        }
                        out.write(v);
                        i += 2;
                    } else {
                        throw new IllegalArgumentException("invalid syntax");
                    }
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte[] src, int from, int len) {
        if (from + len > src.length) {
            throw new IllegalArgumentException("invalid syntax");
        }
        try {
            return Integer.parseInt(new String(src, from, len, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid syntax");
        }
    }

    /** What fmt.Sscanf(s, "%q) %s %q", &key, &op, &val) fills in, and how many of the three it filled. */
    record Compare(int n, String key, String op, String val) {}

    static Compare scanCompare(String s) {
        int[] pos = {0};
        String key = "";
        String op = "";
        String val = "";
        String q = quoted(s, pos);
        if (q == null) {
            return new Compare(0, key, op, val);
        }
        key = q;
        if (pos[0] >= s.length() || s.charAt(pos[0]) != ')') {
            return new Compare(1, key, op, val);
        }
        pos[0]++;
        skipSpaces(s, pos);
        int start = pos[0];
        while (pos[0] < s.length() && !isSpace(s.charAt(pos[0]))) {
            pos[0]++;
        }
        if (pos[0] == start) {
            return new Compare(1, key, op, val);
        }
        op = s.substring(start, pos[0]);
        skipSpaces(s, pos);
        q = quoted(s, pos);
        if (q == null) {
            return new Compare(2, key, op, val);
        }
        return new Compare(3, key, op, q);
    }

    /** fmt's %q: skips spaces, then a "..." or `...` literal; null when there is none. */
    private static String quoted(String s, int[] pos) {
        skipSpaces(s, pos);
        if (pos[0] >= s.length()) {
            return null;
        }
        char open = s.charAt(pos[0]);
        if (open == '`') {
            int end = s.indexOf('`', pos[0] + 1);
            if (end < 0) {
                return null;
            }
            String r = s.substring(pos[0] + 1, end);
            pos[0] = end + 1;
            return r;
        }
        if (open != '"') {
            return null;
        }
        int i = pos[0] + 1;
        while (i < s.length() && s.charAt(i) != '"') {
            if (s.charAt(i) == '\\') {
                i++;
            }
            i++;
        }
        if (i >= s.length()) {
            return null;
        }
        try {
            String r = unquote(s.substring(pos[0], i + 1));
            pos[0] = i + 1;
            return r;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && isSpace(s.charAt(pos[0])) && s.charAt(pos[0]) != '\n') {
            pos[0]++;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x0B || c == '\f' || c == 0x85 || c == 0xA0;
    }
}
