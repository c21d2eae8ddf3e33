package dev.etcdj.cli.serve;

import dev.etcdj.cli.GoValues;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * etcd's command line as Go's {@code flag} package reads it ({@code -name v}, {@code --name=v}, a bare
 * boolean {@code --flag}, parsing stops at the first non-flag), and {@code pkg/flags.SetFlagsFromEnv}:
 * a flag not on the command line takes {@code ETCD_<NAME>}; both set is fatal; unknown ETCD_ variables warn.
 */
final class GoFlagSet {

    /** A command line Go's flag package refuses: etcd prints the message and its usage, then exits 2. */
    static final class ParseError extends Exception {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code -h}/{@code --help} (undefined flags in etcd's flag set): usage, exit 0. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super(null, null, false, false);
        }
    }

    /** An error etcd reports after parsing (exit 1). */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private GoFlagSet() {}

    /** Parses {@code args} into {@code values}; returns the arguments left after the flags. */
    static List<String> parse(List<String> args, FlagValues values) throws ParseError, HelpRequested {
        int i = 0;
        while (i < args.size()) {
            String s = args.get(i);
            if (s.length() < 2 || s.charAt(0) != '-') {
                break;
            }
            int minuses = 1;
            if (s.charAt(1) == '-') {
                minuses++;
                if (s.length() == 2) {
                    i++;
                    break;
                }
            }
            String name = s.substring(minuses);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw new ParseError("bad flag syntax: " + s);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag f = EtcdFlags.get(name);
            if (f == null) {
                if (name.equals("help") || name.equals("h")) {
                    throw new HelpRequested();
                }
                throw new ParseError("flag provided but not defined: -" + name);
            }
            if (f.isBool()) {
                try {
                    values.set(f, value == null ? "true" : value, "flag");
                } catch (FlagValues.BadValue e) {
                    throw new ParseError(value == null ? "invalid boolean flag " + name + ": " + e.getMessage()
                            : "invalid boolean value " + GoValues.quote(value) + " for -" + name + ": " + e.getMessage());
                }
                continue;
            }
            if (value == null) {
                if (i >= args.size()) {
                    throw new ParseError("flag needs an argument: -" + name);
                }
                value = args.get(i++);
            }
            try {
                values.set(f, value, "flag");
            } catch (FlagValues.BadValue e) {
                throw new ParseError("invalid value " + GoValues.quote(value) + " for flag -" + name + ": " + e.getMessage());
            }
        }
        return List.copyOf(args.subList(i, args.size()));
    }

    /** etcd's flag name to its environment variable: {@code max-txn-ops} → {@code ETCD_MAX_TXN_OPS}. */
    static String envName(String flag) {
        return "ETCD_" + flag.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /**
     * pkg/flags.SetFlagsFromEnv: in flag-name order, each flag not on the command line takes its non-empty
     * ETCD_ variable ({@code log} gets "recognized and used" at info). Then every variable of the
     * environment: one shadowed by a command-line flag is fatal ({@code log} at 'C', then exit 1), an
     * unused {@code ETCD_} one gets a warning.
     *
     * @throws Invalid for a value the flag refuses (the last one, as etcd reports)
     * @throws Conflict for a variable shadowed by a command-line flag
     */
    static void applyEnv(FlagValues values, Map<String, String> env, BiConsumer<Character, String> log)
            throws Invalid, Conflict {
        java.util.Set<String> cmdline = new java.util.HashSet<>();
        for (Map.Entry<String, String> g : values.given().entrySet()) {
            if (g.getValue().equals("flag")) {
                cmdline.add(envName(g.getKey()));
            }
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        Invalid bad = null;
        for (Flag f : new TreeMap<>(EtcdFlags.ALL).values()) {
            String key = envName(f.name());
            String val = env.get(key);
            if (cmdline.contains(key) || val == null || val.isEmpty()) {
                continue;
            }
            used.add(key);
            try {
                values.set(f, val, "env");
                log.accept('I', "recognized and used environment variable " + key + "=" + val);
            } catch (FlagValues.BadValue e) {
                bad = new Invalid("invalid value " + GoValues.quote(val) + " for " + key + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String key = e.getKey();
            if (used.contains(key)) {
                continue;
            }
            if (cmdline.contains(key)) {
                throw new Conflict("conflicting environment variable " + GoValues.quote(key)
                        + " is shadowed by corresponding command-line flag (either unset environment variable or disable flag)");
            }
            if (key.startsWith("ETCD_")) {
                log.accept('W', "unrecognized environment variable " + key + "=" + e.getValue());
            }
        }
        if (bad != null) {
            throw bad;
        }
    }

    /** A flag given both on the command line and in the environment: etcd logs it at 'C' and exits 1. */
    static final class Conflict extends Exception {
        Conflict(String message) {
            super(message, null, false, false);
        }
    }
}
