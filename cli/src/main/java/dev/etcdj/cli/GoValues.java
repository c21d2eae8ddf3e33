package dev.etcdj.cli;

import java.math.BigDecimal;
import java.time.Duration;

/** Go's strconv and time.ParseDuration, with their exact error texts, for flag values and arguments. */
public final class GoValues {

    private GoValues() {}

    /** A flag value Go refused: pflag reports {@code invalid argument "<value>" for "<flag>" flag: <error>}. */
    static final class BadValue extends RuntimeException {
        final String value;

        BadValue(String value, String goError) {
            super(goError, null, false, false);
            this.value = value;
        }
    }

    public static long parseInt(String s, int base) {
        try {
            String t = s;
            boolean neg = false;
            if (t.startsWith("+") || t.startsWith("-")) {
                neg = t.startsWith("-");
                t = t.substring(1);
            }
            if (t.isEmpty() || !t.chars().allMatch(c -> Character.digit(c, base) >= 0 && c < 128)) {
                throw new NumberFormatException();
            }
            return Long.parseLong((neg ? "-" : "") + t, base);
        } catch (NumberFormatException e) {
            boolean syntaxOk = !s.isEmpty() && s.replaceFirst("^[+-]", "").chars()
                    .allMatch(c -> c < 128 && Character.digit(c, base) >= 0) && !s.replaceFirst("^[+-]", "").isEmpty();
            throw new BadValue(s, "strconv.ParseInt: parsing " + quote(s) + ": "
                    + (syntaxOk ? "value out of range" : "invalid syntax"));
        }
    }

    public static boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new BadValue(s, "strconv.ParseBool: parsing " + quote(s) + ": invalid syntax");
        };
    }

    /** Go's time.ParseDuration: e.g. 2s, 1.5s, 300ms, 1m30s, -1h. */
    public static Duration parseDuration(String s) {
        String orig = s;
        if (s.isEmpty()) {
            throw new BadValue(orig, "time: invalid duration " + quote(orig));
        }
        boolean neg = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw new BadValue(orig, "time: invalid duration " + quote(orig));
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty() || num.equals(".") || num.chars().filter(c -> c == '.').count() > 1) {
                throw new BadValue(orig, "time: invalid duration " + quote(orig));
            }
            int ustart = i;
            while (i < s.length() && !(Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String unit = s.substring(ustart, i);
            if (unit.isEmpty()) {
                throw new BadValue(orig, "time: missing unit in duration " + quote(orig));
            }
            long mult = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new BadValue(orig, "time: unknown unit " + quote(unit) + " in duration " + quote(orig));
            };
            nanos = nanos.add(new BigDecimal(num).multiply(BigDecimal.valueOf(mult)));
        }
        long n = nanos.longValue();
        return Duration.ofNanos(neg ? -n : n);
    }

    /** Go's %q of a plain string (strconv.Quote). */
    public static String quote(String s) {
        return dev.etcdj.cli.output.GoFormat.quote(s);
    }

    /** Go's Duration.String(), for help text defaults: 2s, 1m30s, 500ms. */
    public static String formatDuration(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        if (ns % 1_000_000_000L == 0) {
            long s = ns / 1_000_000_000L;
            StringBuilder sb = new StringBuilder();
            if (s >= 3600) {
                sb.append(s / 3600).append('h');
                s %= 3600;
                sb.append(s / 60).append('m');
                s %= 60;
            } else if (s >= 60) {
                sb.append(s / 60).append('m');
                s %= 60;
            }
            return sb.append(s).append('s').toString();
        }
        if (ns < 1_000_000_000L && ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        }
        return BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString() + "s";
    }
}
