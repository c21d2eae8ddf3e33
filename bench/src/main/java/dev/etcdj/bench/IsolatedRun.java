package dev.etcdj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one workload in a fresh JVM (this one's class path, {@link BenchMain}) and reads its JSON
 * back. For heap measurements: in a JVM that has run other clients before, what a full GC leaves
 * depends on what those are still releasing, and the numbers come out wrong, even negative.
 */
public final class IsolatedRun {

    private IsolatedRun() {}

    public static Result run(String client, LoadConfig cfg, String target) throws IOException, InterruptedException {
        Path json = Files.createTempFile("etcdj-bench-isolated", ".json");
        Path log = Files.createTempFile("etcdj-bench-isolated", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), BenchMain.class.getName()));
            cmd.addAll(arguments(client, cfg));
            cmd.addAll(List.of("--json", json.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Should this JVM be stopped mid-run, the child must not outlive it.
            Thread reaper = new Thread(p::destroyForcibly, "isolated-run-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try {
                if (!p.waitFor(cfg.durationNanos() + TimeUnit.MINUTES.toNanos(2), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the isolated run did not finish in time");
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException e) {
                    // shutting down: the hook destroys it
                }
            }
            String out = Files.readString(json, StandardCharsets.UTF_8);
            if (out.isBlank()) {
                String l = Files.readString(log, StandardCharsets.UTF_8);
                throw new IllegalStateException("the isolated run failed (" + p.exitValue() + "): "
                        + (l.length() > 1500 ? l.substring(l.length() - 1500) : l));
            }
            return parse(out, client, cfg, target);
        } finally {
            Files.deleteIfExists(json);
            Files.deleteIfExists(log);
        }
    }

    /** The command line that makes {@link BenchCommand} run exactly this configuration. */
    static List<String> arguments(String client, LoadConfig cfg) {
        List<String> a = new ArrayList<>(List.of(cfg.workload().cliName(), "--client", client,
                "--endpoints", String.join(",", cfg.endpoints()), "--conns", "" + cfg.conns(),
                "--clients", "" + cfg.clients(), "--total", "" + cfg.total(), "--warmup", "" + cfg.warmup(),
                "--key-size", "" + cfg.keySize(), "--val-size", "" + cfg.valueSize(),
                "--key-space-size", "" + cfg.keySpace(), "--rate", "" + cfg.rate(), "--no-progress"));
        if (!cfg.prefix().isEmpty()) {
            a.addAll(List.of("--prefix", cfg.prefix()));
        }
        if (!cfg.duration().isZero()) {
            a.addAll(List.of("--duration", cfg.duration().toMillis() + "ms"));
        }
        if (cfg.sequential()) {
            a.add("--sequential-keys");
        }
        if (cfg.waiting()) {
            a.add("--wait");
        }
        switch (cfg.workload()) {
            case WATCH, WATCH_LATENCY, WATCH_HEAP -> a.addAll(List.of("--watchers", "" + cfg.watchers()));
            case LEASE_KEEPALIVE -> a.addAll(List.of("--leases", "" + cfg.watchers(), "--lease-ttl", "" + cfg.leaseTtl()));
            case RANGE -> a.addAll(List.of("--consistency", cfg.serializable() ? "s" : "l"));
            case MIXED -> a.addAll(List.of("--consistency", cfg.serializable() ? "s" : "l",
                    "--read-ratio", "" + cfg.readRatio()));
            default -> { }
        }
        return a;
    }

    /** The headline fields and metrics of the first result in a JSON report written by this engine. */
    static Result parse(String json, String client, LoadConfig cfg, String target) {
        Map<String, Double> top = GoReference.numbers(json.substring(0, indexOr(json, "\"latency\"")));
        int m = json.indexOf("\"metrics\":{");
        Map<String, Number> metrics = new LinkedHashMap<>();
        if (m >= 0) {
            String body = json.substring(m + 11, json.indexOf('}', m));
            // Whole numbers (counts) stay whole, as the child wrote them.
            GoReference.numbers(body).forEach((k, v) -> metrics.put(k, v == Math.rint(v) && !body.contains("\"" + k + "\":" + v)
                    ? (Number) v.longValue() : v));
        }
        int l = json.indexOf("\"latency\":{");
        LatencySummary latency = LatencySummary.EMPTY;
        if (l >= 0) {
            Map<String, Double> n = GoReference.numbers(json.substring(l, json.indexOf('}', l)));
            latency = new LatencySummary(n.getOrDefault("count", 0d).longValue(), n.getOrDefault("mean_ms", 0d),
                    n.getOrDefault("stddev_ms", 0d), n.getOrDefault("p50_ms", 0d), n.getOrDefault("p90_ms", 0d),
                    n.getOrDefault("p99_ms", 0d), n.getOrDefault("p999_ms", 0d), n.getOrDefault("max_ms", 0d));
        }
        return new Result(cfg.workload().cliName(), client, target, cfg.describe() + " (own JVM)",
                top.getOrDefault("ops", 0d).longValue(), top.getOrDefault("errors", 0d).longValue(), Map.of(),
                top.getOrDefault("seconds", 0d), top.getOrDefault("throughput", 0d), latency, Map.of(), metrics);
    }

    private static int indexOr(String s, String what) {
        int i = s.indexOf(what);
        return i < 0 ? s.length() : i;
    }
}
