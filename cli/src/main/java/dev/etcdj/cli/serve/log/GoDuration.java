package dev.etcdj.cli.serve.log;

import java.math.BigDecimal;
import java.time.Duration;

/** Go's {@code time.Duration.String()}: 0s, 1.5s, 100ms, 2h0m0s, 1m30s, 250µs. */
public final class GoDuration {

    private GoDuration() {}

    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns == 0) {
            return "0s";
        }
        String sign = ns < 0 ? "-" : "";
        long abs = Math.abs(ns);
        if (abs < 1_000L) {
            return sign + abs + "ns";
        }
        if (abs < 1_000_000L) {
            return sign + BigDecimal.valueOf(abs, 3).stripTrailingZeros().toPlainString() + "µs";
        }
        if (abs < 1_000_000_000L) {
            return sign + BigDecimal.valueOf(abs, 6).stripTrailingZeros().toPlainString() + "ms";
        }
        StringBuilder sb = new StringBuilder(sign);
        long h = abs / 3_600_000_000_000L;
        long m = abs / 60_000_000_000L % 60;
        BigDecimal s = BigDecimal.valueOf(abs % 60_000_000_000L, 9).stripTrailingZeros();
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        return sb.append(s.toPlainString()).append('s').toString();
    }
}
