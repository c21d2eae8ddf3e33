package dev.etcdj.bench;

import dev.etcdj.proto.internal.GoJson;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/** A small JSON writer for the machine-readable report: objects, arrays, strings and numbers. */
public final class Json {

    private Json() {}

    public static String object(Consumer<ObjectWriter> body) {
        StringBuilder sb = new StringBuilder();
        new ObjectWriter(sb).write(body);
        return sb.toString();
    }

    public static <T> String array(Collection<T> items, java.util.function.BiConsumer<T, ObjectWriter> body) {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (T item : items) {
            if (!first) {
                sb.append(",\n");
            }
            first = false;
            new ObjectWriter(sb).write(o -> body.accept(item, o));
        }
        return sb.append("]\n").toString();
    }

    static void quote(StringBuilder sb, String s) {
        GoJson.quote(sb, s, false);
    }

    /** Writes the fields of one JSON object. */
    public static final class ObjectWriter {
        private final StringBuilder sb;
        private boolean first = true;

        ObjectWriter(StringBuilder sb) {
            this.sb = sb;
        }

        void write(Consumer<ObjectWriter> body) {
            sb.append('{');
            body.accept(this);
            sb.append('}');
        }

        private StringBuilder name(String name) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, name);
            return sb.append(':');
        }

        public ObjectWriter field(String name, String value) {
            if (value == null) {
                name(name).append("null");
            } else {
                quote(name(name), value);
            }
            return this;
        }

        public ObjectWriter field(String name, long value) {
            name(name).append(value);
            return this;
        }

        public ObjectWriter field(String name, double value) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                name(name).append("null");
            } else {
                name(name).append(Math.round(value * 1000d) / 1000d);
            }
            return this;
        }

        public ObjectWriter field(String name, boolean value) {
            name(name).append(value);
            return this;
        }

        public ObjectWriter object(String name, Consumer<ObjectWriter> body) {
            name(name);
            new ObjectWriter(sb).write(body);
            return this;
        }

        /** A map of numbers, e.g. the extra metrics of a workload. */
        public ObjectWriter numbers(String name, Map<String, ? extends Number> values) {
            return object(name, o -> values.forEach((k, v) -> {
                if (v instanceof Double || v instanceof Float) {
                    o.field(k, v.doubleValue());
                } else {
                    o.field(k, v.longValue());
                }
            }));
        }

        public ObjectWriter strings(String name, Map<String, ?> values) {
            return object(name, o -> values.forEach((k, v) -> o.field(k, String.valueOf(v))));
        }
    }
}
