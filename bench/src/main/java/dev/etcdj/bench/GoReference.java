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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd's Go client as the reference: runs bench/go's {@code etcdgobench} (clientv3, built by
 * bench/run.sh from Debian's etcd sources) with the same parameters as a Java run and reads its JSON
 * line into a {@link Result} whose driver is {@code go-clientv3}. Key-value workloads only.
 */
public final class GoReference {

    public static final String DRIVER = "go-clientv3";

    private final Path binary;

    public GoReference(Path binary) {
        this.binary = binary;
    }

    public static boolean supports(Workload w) {
        return w == Workload.PUT || w == Workload.RANGE || w == Workload.TXN_PUT;
    }

    public Result run(LoadConfig cfg, String target) throws IOException, InterruptedException {
        if (!supports(cfg.workload())) {
            throw new IllegalArgumentException("the Go reference runs put, range and txn-put only");
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "-endpoints", String.join(",", cfg.endpoints().stream().map(GoReference::hostPort).toList()),
                "-conns", "" + cfg.conns(), "-clients", "" + cfg.clients(), "-total", "" + cfg.total(),
                "-warmup", "" + cfg.warmup(), "-key-size", "" + cfg.keySize(), "-val-size", "" + cfg.valueSize(),
                "-key-space-size", "" + cfg.keySpace(), "-rate", "" + cfg.rate(), "-prefix", cfg.prefix(),
                "-consistency", cfg.serializable() ? "s" : "l"));
        if (!cfg.duration().isZero()) {
            cmd.addAll(List.of("-duration", cfg.duration().toMillis() + "ms"));
        }
        if (cfg.sequential()) {
            cmd.add("-sequential-keys");
        }
        cmd.add(cfg.workload().cliName());
        Path log = Files.createTempFile("etcdgobench", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            // Should this JVM be stopped mid-run, the Go process must not outlive it.
            Thread reaper = new Thread(p::destroyForcibly, "etcdgobench-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            String out;
            try {
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(reaper);
                } catch (IllegalStateException e) {
                    // shutting down: the hook destroys it
                }
            }
            long limit = cfg.durationNanos() + TimeUnit.MINUTES.toNanos(1);
            if (!p.waitFor(limit, TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("etcdgobench did not finish in time");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("etcdgobench failed (" + p.exitValue() + "): " + Files.readString(log));
            }
            return parse(out.strip(), cfg, target);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String hostPort(String endpoint) {
        int i = endpoint.indexOf("://");
        return i < 0 ? endpoint : endpoint.substring(i + 3);
    }

    static Result parse(String json, LoadConfig cfg, String target) {
        Map<String, Double> n = numbers(json);
        LatencySummary l = new LatencySummary(n.getOrDefault("ops", 0d).longValue(), n.getOrDefault("mean_ms", 0d),
                n.getOrDefault("stddev_ms", 0d), n.getOrDefault("p50_ms", 0d), n.getOrDefault("p90_ms", 0d),
                n.getOrDefault("p99_ms", 0d), n.getOrDefault("p999_ms", 0d), n.getOrDefault("max_ms", 0d));
        Map<String, Long> kinds = new LinkedHashMap<>();
        Matcher fe = Pattern.compile("\"first_error\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        long errors = n.getOrDefault("errors", 0d).longValue();
        if (fe.find() && errors > 0) {
            kinds.put(fe.group(1), errors);
        }
        return new Result(cfg.workload().cliName(), DRIVER, target, cfg.describe(), l.count(), errors, kinds,
                n.getOrDefault("seconds", 0d), n.getOrDefault("throughput", 0d), l, Map.of(), Map.of());
    }

    /** The numeric fields of a flat JSON object. */
    static Map<String, Double> numbers(String json) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("\"([a-z0-9_]+)\":(-?[0-9.eE+-]+)").matcher(json);
        while (matcher.find()) {
            m.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return m;
    }
}
