package dev.etcdj.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * etcd 3.4's {@code --config-file}: YAML with the flags' names as keys (embed.Config's JSON tags), read the
 * way etcd reads it: YAML turned into JSON, then decoded strictly by type, so durations are integer
 * nanoseconds, and a value of the wrong JSON type fails with Go's message (the first in key order).
 * Client TLS lives under {@code client-transport-security}; unknown keys are ignored, as etcd ignores them.
 */
final class ConfigFile {

    /** Flags that are not config-file keys in etcd 3.4 (their Go fields have no JSON name). */
    private static final Set<String> NOT_KEYS = Set.of("config-file", "version", "cert-file", "key-file",
            "client-cert-auth", "trusted-ca-file", "auto-tls", "client-crl-file", "client-cert-allowed-hostname",
            "peer-cert-file", "peer-key-file", "peer-client-cert-auth", "peer-trusted-ca-file", "peer-auto-tls",
            "peer-crl-file", "peer-cert-allowed-cn", "peer-cert-allowed-hostname",
            "experimental-peer-skip-client-san-verification");

    /** URL keys that etcd parses after decoding; a bad one ends etcd with this message, exit 1. */
    private static final Map<String, String> URL_KEYS = Map.of(
            "listen-peer-urls", "listen-peer-urls", "listen-client-urls", "listen-client-urls",
            "initial-advertise-peer-urls", "initial-advertise-peer-urls",
            "advertise-client-urls", "advertise-peer-urls", // sic: etcd 3.4 names the wrong flag here
            "listen-metrics-urls", "listen-metrics-urls");

    /** A file etcd could not use: {@code message} is etcd's text. */
    static final class Bad extends Exception {
        /** true: etcd prints the bare message and exits 1 (bad URLs); false: "error verifying flags". */
        final boolean bare;

        Bad(String message, boolean bare) {
            super(message, null, false, false);
            this.bare = bare;
        }
    }

    private ConfigFile() {}

    static void load(Path path, FlagValues values) throws Bad {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new Bad("open " + path + ": no such file or directory", false);
        } catch (IOException e) {
            throw new Bad("read " + path + ": " + e.getMessage(), false);
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new Bad("error converting YAML to JSON: yaml: " + e.getMessage().replace('\n', ' '), false);
        }
        if (doc == null) {
            return;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new Bad("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " + jsonType(doc)
                    + " into Go value of type embed.configYAML", false);
        }
        Map<String, Object> sorted = new TreeMap<>();
        map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.equals("client-transport-security") || key.equals("peer-transport-security")) {
                security(key, v, values);
                continue;
            }
            Flag f = EtcdFlags.get(key);
            if (f == null || NOT_KEYS.contains(key) || f.kind() == Flag.Kind.IGNORED || v == null) {
                continue;
            }
            values.put(f, decode(f, key, v), "file");
        }
        for (Map.Entry<String, String> u : URL_KEYS.entrySet()) {
            if (values.isGiven(u.getKey()) && "file".equals(values.given().get(u.getKey()))) {
                try {
                    String raw = values.string(u.getKey());
                    values.put(EtcdFlags.get(u.getKey()), raw.isEmpty() ? List.of() : FlagValues.urls(raw), "file");
                } catch (FlagValues.BadValue bad) {
                    throw new Bad("unexpected error setting up " + u.getValue() + ": " + bad.getMessage(), true);
                }
            }
        }
    }

    /** One value, typed as etcd's struct field is (URL lists are strings there, checked later). */
    private static Object decode(Flag f, String key, Object v) throws Bad {
        switch (f.kind()) {
            case STRING:
            case URLS:
            case CHOICE:
                if (v instanceof String s) {
                    if (f.kind() == Flag.Kind.CHOICE && !key.equals("initial-cluster-state") && !f.choices().contains(s)) {
                        throw new Bad("unexpected error setting up " + (key.equals("proxy") ? "proxyFlag" : key + " flag")
                                + ": invalid value", true);
                    }
                    if (key.equals("cors")) {
                        return s.equals("*") ? List.of("*") : List.of(s.split(","));
                    }
                    return s;
                }
                throw typeError(key, v, "string");
            case BOOL:
                if (v instanceof Boolean b) {
                    return b;
                }
                throw typeError(key, v, "bool");
            case UINT:
            case UINT64:
            case UINT32:
            case INT:
            case INT64:
                if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
                    long n = ((Number) v).longValue();
                    boolean unsigned = f.kind() == Flag.Kind.UINT || f.kind() == Flag.Kind.UINT64 || f.kind() == Flag.Kind.UINT32;
                    if (unsigned && n < 0 || f.kind() == Flag.Kind.UINT32 && n > 0xFFFF_FFFFL) {
                        throw typeError(key, v, goType(f));
                    }
                    return n;
                }
                throw typeError(key, v, goType(f));
            case DURATION:
                if (v instanceof Integer || v instanceof Long) {
                    return java.time.Duration.ofNanos(((Number) v).longValue());
                }
                throw typeError(key, v, "time.Duration");
            case STRINGS:
            case CSV:
                if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof String)) {
                    List<String> strings = l.stream().map(String.class::cast).toList();
                    return f.kind() == Flag.Kind.STRINGS ? List.copyOf(new java.util.TreeSet<>(strings)) : strings;
                }
                if (key.equals("host-whitelist") && v instanceof String s) {
                    return List.copyOf(new java.util.TreeSet<>(List.of(s.split(","))));
                }
                throw typeError(key, v, "[]string");
            default:
                return v;
        }
    }

    private static void security(String key, Object v, FlagValues values) throws Bad {
        if (!(v instanceof Map<?, ?> m)) {
            throw typeError(key, v, "embed.securityConfig");
        }
        String prefix = key.startsWith("client") ? "" : "peer-";
        Map<String, Object> sorted = new TreeMap<>();
        m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            String flag = switch (e.getKey()) {
                case "cert-file", "key-file", "trusted-ca-file", "auto-tls" -> prefix + e.getKey();
                case "client-cert-auth" -> prefix.isEmpty() ? "client-cert-auth" : "peer-client-cert-auth";
                default -> null;
            };
            if (flag == null || e.getValue() == null) {
                continue;
            }
            Flag f = EtcdFlags.get(flag);
            values.put(f, decode(f, key + "." + e.getKey(), e.getValue()), "file");
        }
    }

    private static Bad typeError(String key, Object v, String goType) {
        String owner = key.contains(".") ? "securityConfig" : "configYAML";
        return new Bad("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " + jsonType(v)
                + " into Go struct field " + owner + "." + key + " of type " + goType, false);
    }

    private static String goType(Flag f) {
        return switch (f.kind()) {
            case UINT -> "uint";
            case UINT64 -> "uint64";
            case UINT32 -> "uint32";
            case INT -> "int";
            default -> "int64";
        };
    }

    private static String jsonType(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof List<?>) {
            return "array";
        }
        return v instanceof Map<?, ?> ? "object" : "string";
    }
}
