package dev.etcdj.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code etcdctl check perf}, Debian's etcdctl (etcd's Go client) as a subprocess. What it measures
 * (etcd 3.4's etcdctl/ctlv3/command/check.go): for 60 s, puts of random 256-byte keys under
 * {@code /etcdctl-check-perf/} with 1 KiB values, paced by a rate limiter (load s: 150/s over 50
 * clients; m: 1000/s, 200; l: 8000/s, 500; xl: 15000/s, 1000), one client object per worker. It
 * passes when throughput is above 90% of the pace, the slowest request took at most 500 ms, the
 * standard deviation is at most 100 ms, and there was no error; then it deletes the prefix.
 * {@link #equivalent} is the same load in this engine's terms, to run the Java clients through.
 */
public final class CheckPerf {

    /** A parsed report: writes/s, slowest and stddev in seconds, and the verdict. */
    public record Report(String load, double writesPerSecond, double slowestSeconds, double stddevSeconds,
                         boolean pass, String output) {}

    private CheckPerf() {}

    public static Report run(String etcdctl, List<String> endpoints, String load) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(etcdctl, "--endpoints", String.join(",", endpoints), "check", "perf",
                "--load", load));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("etcdctl check perf did not finish in 3 minutes");
        }
        return parse(load, out);
    }

    static Report parse(String load, String output) {
        double writes = find(output, "(?:Throughput is|Throughput too low:) (\\d+) writes/s");
        double slowest = find(output, "(?:Slowest request took|Slowest request took too long:) ([0-9.]+)s");
        double stddev = find(output, "(?:Stddev is|Stddev too high:) ([0-9.]+)s");
        boolean pass = output.lines().map(String::strip).anyMatch("PASS"::equals);
        return new Report(load, writes, slowest, stddev, pass, output);
    }

    private static double find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** check perf's load as a put run of this engine: same pace, workers, key and value sizes, length. */
    public static LoadConfig.Builder equivalent(String load, List<String> endpoints) {
        int[] cfg = switch (load) {
            case "s", "small" -> new int[] {150, 50};
            case "m", "medium" -> new int[] {1000, 200};
            case "l", "large" -> new int[] {8000, 500};
            case "xl", "xLarge" -> new int[] {15000, 1000};
            default -> throw new IllegalArgumentException("unknown load " + load);
        };
        return LoadConfig.builder(Workload.PUT).endpoints(endpoints).rate(cfg[0]).clients(cfg[1]).conns(cfg[1])
                .total(0).duration(java.time.Duration.ofSeconds(60)).warmup(0).keySize(256).valueSize(1024)
                .keySpace(Long.MAX_VALUE / 2).prefix("/etcdj-check-perf/");
    }
}
