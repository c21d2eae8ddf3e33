package dev.etcdj.cli.serve;

import dev.etcdj.cli.GoValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The values of etcd's flags for one {@code serve} run, from the command line, {@code ETCD_*} variables
 * or a config file, parsed as etcd's Go flag values parse them ({@link #set} fails with their error text).
 * A flag never given keeps etcd's default.
 */
final class FlagValues {

    /** A value a flag's Set refused; the message is Go's error text, without the flag's name. */
    static final class BadValue extends Exception {
        BadValue(String goError) {
            super(goError, null, false, false);
        }
    }

    private final Map<String, Object> values = new HashMap<>();
    /** The flags given, in the order given, and where from: "flag", "env" or "file". */
    private final Map<String, String> given = new LinkedHashMap<>();

    /** Sets a flag from text, as its Go flag.Value's Set would. */
    void set(Flag f, String raw, String source) throws BadValue {
        put(f, parse(f, raw), source);
    }

    /** Sets an already typed value (from a config file). */
    void put(Flag f, Object value, String source) {
        values.put(f.name(), value);
        given.put(f.name(), source);
    }

    boolean isGiven(String name) {
        return given.containsKey(name);
    }

    Map<String, String> given() {
        return given;
    }

    Object get(String name) {
        Object v = values.get(name);
        if (v != null) {
            return v;
        }
        Flag f = EtcdFlags.get(name);
        try {
            return parse(f, f.def());
        } catch (BadValue e) {
            throw new IllegalStateException("bad default for --" + name + ": " + e.getMessage(), e);
        }
    }

    String string(String name) {
        return (String) get(name);
    }

    boolean bool(String name) {
        return (Boolean) get(name);
    }

    long number(String name) {
        return ((Number) get(name)).longValue();
    }

    Duration duration(String name) {
        return (Duration) get(name);
    }

    @SuppressWarnings("unchecked")
    List<String> list(String name) {
        return (List<String>) get(name);
    }

    /** Whether a flag's value differs from etcd's default. */
    boolean isNonDefault(String name) {
        Flag f = EtcdFlags.get(name);
        try {
            return values.containsKey(name) && !values.get(name).equals(parse(f, f.def()));
        } catch (BadValue e) {
            throw new IllegalStateException(e);
        }
    }

    static Object parse(Flag f, String s) throws BadValue {
        switch (f.kind()) {
            case STRING:
                return s;
            case IGNORED:
                return "";
            case BOOL:
                return orParseError(GoValues::parseBool, s);
            case UINT:
            case UINT64:
                return goInt(s, false);
            case INT:
            case INT64:
                return goInt(s, true);
            case UINT32:
                return uint32(s);
            case DURATION:
                return orParseError(GoValues::parseDuration, s);
            case URLS:
                return f.name().equals("cors") && s.equals("*") ? List.of("*") : urls(s); // cors also allows "*"
            case STRINGS:
                return new ArrayList<>(new TreeSet<>(List.of(s.split(",", -1))));
            case CSV:
                return s.isEmpty() ? List.of() : List.of(s.split(",", -1));
            case CHOICE:
                if (!f.choices().contains(s)) {
                    throw new BadValue("invalid value");
                }
                return s;
            default:
                throw new IllegalStateException(f.kind().toString());
        }
    }

    /** strconv.ParseInt/ParseUint(s, 0, 64) as Go's flag package reports them. */
    /** A value GoValues parses, its refusal reported as Go's flag package words it: "parse error". */
    private static Object orParseError(java.util.function.Function<String, ?> parser, String s) throws BadValue {
        try {
            return parser.apply(s);
        } catch (RuntimeException e) {
            throw new BadValue("parse error");
        }
    }

    private static long goInt(String s, boolean signed) throws BadValue {
        String t = s.replace("_", "");
        boolean neg = false;
        if (signed && (t.startsWith("-") || t.startsWith("+"))) {
            neg = t.startsWith("-");
            t = t.substring(1);
        }
        int base = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            base = 16;
            t = t.substring(2);
        } else if (t.startsWith("0b") || t.startsWith("0B")) {
            base = 2;
            t = t.substring(2);
        } else if (t.startsWith("0o") || t.startsWith("0O")) {
            base = 8;
            t = t.substring(2);
        } else if (t.length() > 1 && t.startsWith("0")) {
            base = 8;
            t = t.substring(1);
        }
        final int b = base;
        if (t.isEmpty() || !t.chars().allMatch(c -> c < 128 && Character.digit(c, b) >= 0)) {
            throw new BadValue("parse error");
        }
        try {
            java.math.BigInteger v = new java.math.BigInteger((neg ? "-" : "") + t, base);
            if (signed ? v.bitLength() > 63 : v.signum() < 0 || v.bitLength() > 64) {
                throw new BadValue("value out of range");
            }
            return v.longValue(); // a uint64 above Long.MAX_VALUE wraps; no etcd flag needs such values
        } catch (NumberFormatException e) {
            throw new BadValue("parse error");
        }
    }

    /** etcd's flags.Uint32Value: strconv.ParseUint(s, 10, 32), its error unwrapped. */
    private static long uint32(String s) throws BadValue {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadValue("strconv.ParseUint: parsing " + GoValues.quote(s) + ": invalid syntax");
        }
        java.math.BigInteger v = new java.math.BigInteger(s);
        if (v.bitLength() > 32) {
            throw new BadValue("strconv.ParseUint: parsing " + GoValues.quote(s) + ": value out of range");
        }
        return v.longValue();
    }

    /** etcd's types.NewURLs on a comma-separated list ("" is allowed: no URLs); sorted as etcd sorts them. */
    static List<String> urls(String s) throws BadValue {
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            out.add(GoUrls.check(part.trim()));
        }
        out.sort(null);
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }
}
