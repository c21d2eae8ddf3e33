package dev.etcdj.proto.internal;

/**
 * JSON strings as etcd's Go encoders write them. Two encoders matter: Go's {@code encoding/json}
 * (etcdctl's {@code -w json}, the HTTP gateway, the snapshot's member records), which is HTML-safe
 * ({@code <}, {@code >} and {@code &} written as six-character unicode escapes) and escapes U+2028
 * and U+2029 the same way; and zap's JSON logger, which escapes only what JSON requires. Both write
 * quote, backslash, newline, carriage return and tab as two-character escapes and any other control
 * character as a unicode escape.
 */
public final class GoJson {

    private GoJson() {}

    /** Appends {@code s} quoted; {@code htmlSafe} picks {@code encoding/json}'s escapes over zap's. */
    public static StringBuilder quote(StringBuilder sb, String s, boolean htmlSafe) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean html = c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029';
                    if (c < 0x20 || (htmlSafe && html)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** {@code s} quoted as {@link #quote(StringBuilder, String, boolean)} writes it. */
    public static String quote(String s, boolean htmlSafe) {
        return quote(new StringBuilder(s.length() + 2), s, htmlSafe).toString();
    }
}
