package dev.etcdj.cli.output;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few Go formatting verbs etcdctl's output is made of, reproduced byte for byte: {@code %q} of a
 * byte string (strconv.Quote), {@code %016x} of a lease ID, etcdctl's {@code \xNN} hex form, go-humanize's
 * sizes and Duration.String().
 */
public final class GoFormat {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoFormat() {}

    /** Go's {@code %016x} of an int64: zero-padded lower-case hex, a minus sign for negative values. */
    public static String hex16(long v) {
        if (v < 0) {
            // Go formats the magnitude with the sign in front; the padding counts the sign too.
            String mag = v == Long.MIN_VALUE ? "8000000000000000" : Long.toHexString(-v);
            return "-" + "0".repeat(Math.max(0, 15 - mag.length())) + mag;
        }
        String h = Long.toHexString(v);
        return "0".repeat(Math.max(0, 16 - h.length())) + h;
    }

    /** Go's {@code %16x}: space-padded to 16 characters. */
    public static String hexPad16(long v) {
        String h = Long.toHexString(v);
        return " ".repeat(Math.max(0, 16 - h.length())) + h;
    }

    /** Go's {@code %x} of a uint64. */
    public static String hex(long v) {
        return Long.toHexString(v);
    }

    /** etcdctl's --hex form: every byte as {@code \xNN}. */
    public static String hexEscaped(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 4);
        for (byte x : b) {
            sb.append('\\').append('x').append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
        }
        return sb.toString();
    }

    /** Go's {@code strconv.Quote(string(b))}: the bytes as a double-quoted Go string literal. */
    public static String quote(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 2).append('"');
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                appendRune(sb, c);
                i++;
                continue;
            }
            int[] decoded = decodeUtf8(b, i);
            if (decoded == null) {
                // Invalid UTF-8: Go prints the single byte as \xNN and moves on by one byte.
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                i++;
            } else {
                appendRune(sb, decoded[0]);
                i += decoded[1];
            }
        }
        return sb.append('"').toString();
    }

    public static String quote(String s) {
        return quote(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void appendRune(StringBuilder sb, int r) {
        if (r == '"' || r == '\\') {
            sb.append('\\').appendCodePoint(r);
            return;
        }
        if (isPrint(r)) {
            sb.appendCodePoint(r);
            return;
        }
        switch (r) {
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (r < ' ' || r == 0x7F) {
                    sb.append("\\x").append(HEX[(r >> 4) & 0xF]).append(HEX[r & 0xF]);
                } else if (r < 0x10000) {
                    sb.append("\\u").append(String.format("%04x", r));
                } else {
                    sb.append("\\U").append(String.format("%08x", r));
                }
            }
        }
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int r) {
        if (r < 0x80) {
            return r >= 0x20 && r < 0x7F;
        }
        switch (Character.getType(r)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> {
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /** One UTF-8 sequence at {@code i} as {code point, length}, or null where Go would see RuneError. */
    private static int[] decodeUtf8(byte[] b, int i) {
        int c0 = b[i] & 0xFF;
        int need;
        int min;
        int cp;
        if (c0 >= 0xC2 && c0 <= 0xDF) {
            need = 1;
            cp = c0 & 0x1F;
            min = 0x80;
        } else if (c0 >= 0xE0 && c0 <= 0xEF) {
            need = 2;
            cp = c0 & 0x0F;
            min = 0x800;
        } else if (c0 >= 0xF0 && c0 <= 0xF4) {
            need = 3;
            cp = c0 & 0x07;
            min = 0x10000;
        } else {
            return null;
        }
        if (i + need >= b.length) {
            return null;
        }
        for (int k = 1; k <= need; k++) {
            int cx = b[i + k] & 0xFF;
            if ((cx & 0xC0) != 0x80) {
                return null;
            }
            cp = (cp << 6) | (cx & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return null;
        }
        return new int[] {cp, need + 1};
    }

    /** clientv3.GetPrefixRangeEnd: the key with its last byte below 0xff incremented, else "\x00". */
    public static byte[] prefixEnd(byte[] key) {
        byte[] end = key.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0};
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
