package dev.etcdj.cli.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What etcd's {@code pkg/report} computes for the check commands: over the successful requests,
 * requests per second (from the start of collection to the last result), the slowest request and
 * the population standard deviation of the latencies, in seconds; and the failures counted by
 * their error text. Thread-safe: results come in from the clients' callback threads.
 */
public final class LoadReport {

    private final long startNanos = System.nanoTime();
    private final List<Double> latencies = new ArrayList<>();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    private long endNanos;

    /** One request's outcome: its start and end ({@link System#nanoTime}) and its error text, or null. */
    public synchronized void add(long start, long end, String error) {
        if (error != null) {
            errors.merge(error, 1L, Long::sum);
            return;
        }
        latencies.add((end - start) / 1e9);
    }

    /** Ends the collection: the time the rate is computed over stops here. */
    public synchronized Stats finish() {
        endNanos = System.nanoTime();
        double total = (endNanos - startNanos) / 1e9;
        int n = latencies.size();
        double sum = 0;
        double slowest = 0;
        for (double l : latencies) {
            sum += l;
            slowest = Math.max(slowest, l);
        }
        double mean = sum / n;
        double squares = 0;
        for (double l : latencies) {
            squares += (l - mean) * (l - mean);
        }
        // With no success Go divides 0 by 0: the deviation is NaN and etcdctl prints it as such.
        return new Stats(n / total, slowest, Math.sqrt(squares / n), java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors)));
    }

    /** The figures the checks judge on. {@code errors} maps an error's text to how often it occurred. */
    public record Stats(double rps, double slowest, double stddev, Map<String, Long> errors) {}
}
