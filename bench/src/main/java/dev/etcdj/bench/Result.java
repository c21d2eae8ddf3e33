package dev.etcdj.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one workload run through one client against one server. {@code latency} is the
 * measured request's; {@code latencies} holds the others a workload measures (a watch's
 * put-to-event latency, a lease grant's), {@code metrics} its other numbers (events/s, heap MB).
 */
public record Result(String workload, String driver, String target, String params, long ops, long errors,
                     Map<String, Long> errorKinds, double seconds, double throughput, LatencySummary latency,
                     Map<String, LatencySummary> latencies, Map<String, Number> metrics) {

    public Result {
        errorKinds = Map.copyOf(errorKinds);
        latencies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(latencies));
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A metric as a double; NaN when this run did not measure it. */
    public double metric(String name) {
        Number n = metrics.get(name);
        return n == null ? Double.NaN : n.doubleValue();
    }

    public void print(PrintStream out) {
        out.printf("%s via %s against %s (%s)%n", workload, driver, target, params);
        out.printf("  %d ok, %d errors in %.2f s: %.0f ops/s%n", ops, errors, seconds, throughput);
        if (latency.count() > 0) {
            out.printf("  latency  %s (mean %s, stddev %s)%n", latency.brief(), LatencySummary.fmt(latency.mean()),
                    LatencySummary.fmt(latency.stddev()));
        }
        latencies.forEach((name, l) -> {
            if (l.count() > 0) {
                out.printf("  %-8s %s (%d samples)%n", name, l.brief(), l.count());
            }
        });
        if (!metrics.isEmpty()) {
            StringBuilder sb = new StringBuilder("  ");
            metrics.forEach((k, v) -> sb.append(k).append('=').append(v instanceof Double d ? String.format("%.2f", d) : v)
                    .append("  "));
            out.println(sb.toString().stripTrailing());
        }
        errorKinds.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(e -> out.printf("  error x%d: %s%n", e.getValue(), e.getKey()));
    }

    public void writeJson(Json.ObjectWriter o) {
        o.field("workload", workload).field("driver", driver).field("target", target).field("params", params)
                .field("ops", ops).field("errors", errors).field("seconds", seconds).field("throughput", throughput)
                .object("latency", latency::writeJson)
                .object("latencies", lo -> latencies.forEach((k, v) -> lo.object(k, v::writeJson)))
                .numbers("metrics", metrics)
                .numbers("error_kinds", errorKinds);
    }

    public static String toJson(List<Result> results) {
        return Json.array(results, Result::writeJson);
    }
}
