package dev.etcdj.cli.output;

import java.nio.charset.StandardCharsets;

/**
 * The few Go formatting verbs etcdctl's output is made of, reproduced byte for byte: {@code %q} of a
 * byte string (strconv.Quote), {@code %016x} of a lease ID, and etcdctl's {@code \xNN} hex form.
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
}
