package dev.etcdj.cli.output;

import dev.etcdj.proto.internal.GoJson;
import java.util.Base64;

/**
 * A minimal JSON writer that reproduces Go's encoding/json output for etcd's response structs: no
 * spaces, fields in declaration order, {@code omitempty} fields left out when zero, byte slices as
 * standard base64.
 */
final class Json {

    private final StringBuilder sb = new StringBuilder(256);
    private boolean needComma;

    Json begin() {
        comma();
        return open('{');
    }

    Json begin(String name) {
        key(name);
        return open('{');
    }

    Json end() {
        return close('}');
    }

    Json beginArray(String name) {
        key(name);
        return open('[');
    }

    Json endArray() {
        return close(']');
    }

    /** Opens an object or array: its first member takes no comma. */
    private Json open(char bracket) {
        sb.append(bracket);
        needComma = false;
        return this;
    }

    /** Closes an object or array: whatever follows it takes a comma. */
    private Json close(char bracket) {
        sb.append(bracket);
        needComma = true;
        return this;
    }

    /** A number; left out when zero and {@code omitEmpty}. */
    Json num(String name, long v, boolean omitEmpty) {
        if (omitEmpty && v == 0) {
            return this;
        }
        key(name);
        sb.append(v);
        return this;
    }

    /** A uint64 (cluster and member IDs), left out when zero. */
    Json unsigned(String name, long v) {
        if (v == 0) {
            return this;
        }
        key(name);
        sb.append(Long.toUnsignedString(v));
        return this;
    }

    Json number(long v) {
        comma();
        sb.append(v);
        needComma = true;
        return this;
    }

    Json bool(String name, boolean v, boolean omitEmpty) {
        if (omitEmpty && !v) {
            return this;
        }
        key(name);
        sb.append(v);
        return this;
    }

    /** A byte slice as base64; left out when empty and {@code omitEmpty}. */
    Json bytes(String name, byte[] v, boolean omitEmpty) {
        if (omitEmpty && v.length == 0) {
            return this;
        }
        key(name);
        sb.append('"').append(Base64.getEncoder().encodeToString(v)).append('"');
        return this;
    }

    Json base64(byte[] v) {
        comma();
        sb.append('"').append(Base64.getEncoder().encodeToString(v)).append('"');
        needComma = true;
        return this;
    }

    /** A top-level array (etcdctl prints endpoint results as one). */
    Json beginArrayValue() {
        comma();
        sb.append('[');
        needComma = false;
        return this;
    }

    /** A string element of an array. */
    Json stringValue(String v) {
        comma();
        needComma = true;
        return quoted(v);
    }

    Json string(String name, String v) {
        key(name);
        return quoted(v);
    }

    /** etcdctl writes with Go's encoding/json: HTML-safe escapes. */
    private Json quoted(String v) {
        GoJson.quote(sb, v, true);
        return this;
    }

    Json rawNull(String name) {
        key(name);
        sb.append("null");
        return this;
    }

    private void key(String name) {
        comma();
        sb.append('"').append(name).append("\":");
        needComma = true;
    }

    private void comma() {
        if (needComma) {
            sb.append(',');
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
