package dev.etcdj.bench;

import org.HdrHistogram.Histogram;

/**
 * The percentiles a report prints, in milliseconds. {@code stddev} is there because
 * {@code etcdctl check perf} judges on it.
 */
public record LatencySummary(long count, double mean, double stddev, double p50, double p90, double p99,
                             double p999, double max) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);

    public static LatencySummary of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(h.getTotalCount(), ms(h.getMean()), ms(h.getStdDeviation()),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static double ms(double nanos) {
        return nanos / 1_000_000d;
    }

    public String brief() {
        return String.format("p50 %s p90 %s p99 %s p99.9 %s max %s ms", fmt(p50), fmt(p90), fmt(p99), fmt(p999),
                fmt(max));
    }

    static String fmt(double ms) {
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.3f", ms);
    }

    void writeJson(Json.ObjectWriter o) {
        o.field("count", count).field("mean_ms", mean).field("stddev_ms", stddev).field("p50_ms", p50)
                .field("p90_ms", p90).field("p99_ms", p99).field("p999_ms", p999).field("max_ms", max);
    }
}
