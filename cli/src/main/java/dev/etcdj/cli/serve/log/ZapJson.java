package dev.etcdj.cli.serve.log;

import dev.etcdj.proto.internal.GoJson;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * etcd 3.4's {@code --logger zap} lines: one JSON object per line with {@code level}, {@code ts}
 * (ISO 8601, milliseconds), {@code caller}, {@code msg}, then the entry's fields in the order given.
 */
public final class ZapJson implements LogSink.Format {

    /**
     * zap's ISO8601TimeEncoder: 2006-01-02T15:04:05.000Z0700 ("Z" in UTC, "+0100" elsewhere). Made on
     * the first line written: this format is the default of every process that has the CLI's SLF4J
     * backend, and a short command that logs nothing need not build a formatter.
     */
    private static final class Ts {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");
    }

    @Override
    public String line(LogSink.Entry e) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("{\"level\":");
        string(sb, e.level().zapName);
        sb.append(",\"ts\":");
        string(sb, Ts.FORMAT.format(e.time()));
        sb.append(",\"caller\":");
        string(sb, e.caller());
        sb.append(",\"msg\":");
        string(sb, e.msg());
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            sb.append(',');
            string(sb, f.getKey());
            sb.append(':');
            value(sb, f.getValue());
        }
        return sb.append('}').toString();
    }

    /** zap's encoders: numbers and booleans bare, durations as Go writes them, errors by their message, lists as arrays. */
    static void value(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            sb.append(d);
        } else if (v instanceof Duration d) {
            string(sb, GoDuration.format(d));
        } else if (v instanceof Throwable t) {
            string(sb, t.getMessage() == null ? t.toString() : t.getMessage());
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                value(sb, o);
            }
            sb.append(']');
        } else if (v instanceof Object[] a) {
            value(sb, java.util.Arrays.asList(a));
        } else {
            string(sb, v.toString());
        }
    }

    /** A JSON string as zap's encoder writes it (no HTML-safe escapes). */
    static void string(StringBuilder sb, String s) {
        GoJson.quote(sb, s, false);
    }
}
