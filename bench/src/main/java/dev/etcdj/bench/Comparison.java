package dev.etcdj.bench;

import dev.etcdj.bench.driver.DriverFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one workload through several clients in alternation (A B, then B A, ...) so drift on a
 * shared machine hits each side alike, and reduces the rounds to one ratio per headline number.
 */
public final class Comparison {

    private Comparison() {}

    /** A number a reader compares: throughput, a latency percentile, heap. */
    public record Headline(String name, double value, boolean higherIsBetter) {}

    /** Ours against theirs on one headline: the medians of the rounds and their quotient. */
    public record Ratio(String workload, String metric, double ours, double theirs, boolean higherIsBetter) {
        public double ratio() {
            return theirs == 0 ? Double.NaN : ours / theirs;
        }

        /** Whether ours is the better of the two. */
        public boolean better() {
            return higherIsBetter ? ours > theirs : ours < theirs;
        }
    }

    public static List<Result> alternate(LoadRunner runner, List<DriverFactory> factories, LoadConfig cfg, int rounds,
                                         String target, PrintStream out) throws InterruptedException {
        return alternate(runner, factories, cfg, rounds, target, out, null);
    }

    /**
     * As above; with {@code failures}, a client that cannot run the workload (a feature it lacks, a
     * server that refuses) is reported there and the others go on, instead of ending the comparison.
     */
    public static List<Result> alternate(LoadRunner runner, List<DriverFactory> factories, LoadConfig cfg, int rounds,
                                         String target, PrintStream out, List<String> failures)
            throws InterruptedException {
        List<Result> results = new ArrayList<>();
        for (DriverFactory f : schedule(factories, rounds)) {
            Result r;
            try {
                r = runner.run(f, cfg, target);
            } catch (RuntimeException e) {
                if (failures == null) {
                    throw e;
                }
                failures.add(cfg.workload().cliName() + " via " + f.name() + " against " + target + ": "
                        + ClosedLoop.describe(e));
                continue;
            }
            if (out != null) {
                r.print(out);
            }
            results.add(r);
        }
        return results;
    }

    /** The runs of {@code rounds} rounds in alternation: the clients in order, then reversed, and so on. */
    static List<DriverFactory> schedule(List<DriverFactory> factories, int rounds) {
        List<DriverFactory> runs = new ArrayList<>(factories.size() * rounds);
        List<DriverFactory> reversed = new ArrayList<>(factories);
        java.util.Collections.reverse(reversed);
        for (int round = 0; round < rounds; round++) {
            runs.addAll(round % 2 == 0 ? factories : reversed);
        }
        return runs;
    }

    public static List<Headline> headlines(Result r) {
        List<Headline> h = new ArrayList<>();
        h.add(new Headline("ops/s", r.throughput(), true));
        if (r.latency().count() > 0) {
            h.add(new Headline("p50 ms", r.latency().p50(), false));
            h.add(new Headline("p99 ms", r.latency().p99(), false));
        }
        LatencySummary event = r.latencies().get("event");
        if (event != null && event.count() > 0) {
            h.add(new Headline("event p50 ms", event.p50(), false));
            h.add(new Headline("event p99 ms", event.p99(), false));
        }
        addMetric(h, r, "events_per_s", "events/s", true);
        addMetric(h, r, "heap_mb", "heap MB", false);
        addMetric(h, r, "retained_mb", "retained MB", false);
        return h;
    }

    private static void addMetric(List<Headline> h, Result r, String key, String name, boolean higherIsBetter) {
        double v = r.metric(key);
        if (!Double.isNaN(v)) {
            h.add(new Headline(name, v, higherIsBetter));
        }
    }

    /** Ratios of {@code ours} against {@code theirs} over the results of one workload. */
    public static List<Ratio> ratios(List<Result> results, String ours, String theirs) {
        Map<String, List<Double>> a = collect(results, ours);
        Map<String, List<Double>> b = collect(results, theirs);
        Map<String, Boolean> direction = new LinkedHashMap<>();
        results.stream().filter(r -> r.driver().equals(ours)).findFirst()
                .ifPresent(r -> headlines(r).forEach(hl -> direction.put(hl.name(), hl.higherIsBetter())));
        List<Ratio> ratios = new ArrayList<>();
        String workload = results.isEmpty() ? "" : results.get(0).workload();
        direction.forEach((metric, higher) -> {
            if (b.containsKey(metric)) {
                ratios.add(new Ratio(workload, metric, median(a.get(metric)), median(b.get(metric)), higher));
            }
        });
        return ratios;
    }

    private static Map<String, List<Double>> collect(List<Result> results, String driver) {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.driver().equals(driver)) {
                for (Headline h : headlines(r)) {
                    m.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(h.value());
                }
            }
        }
        return m;
    }

    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    public static void printRatios(PrintStream out, List<Ratio> ratios, String ours, String theirs) {
        if (ratios.isEmpty()) {
            return;
        }
        out.printf("%-16s %-14s %12s %12s %10s%n", "workload", "metric", ours, theirs, ours + "/" + theirs);
        for (Ratio r : ratios) {
            out.printf("%-16s %-14s %12s %12s %9.2fx %s%n", r.workload(), r.metric(), num(r.ours()), num(r.theirs()),
                    r.ratio(), r.better() ? "(better)" : "(worse)");
        }
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format("%.0f", v) : Math.abs(v) >= 1 ? String.format("%.2f", v)
                : String.format("%.3f", v);
    }

    static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
