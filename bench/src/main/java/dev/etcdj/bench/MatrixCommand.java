package dev.etcdj.bench;

import dev.etcdj.bench.driver.DriverFactory;
import dev.etcdj.bench.driver.Drivers;
import dev.etcdj.bench.servers.EmbeddedServer;
import dev.etcdj.bench.servers.EtcdProcess;
import dev.etcdj.bench.servers.ServerProcess;
import dev.etcdj.bench.servers.Target;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.CompactedException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code matrix}: starts each server (a real etcd, etcdj's server in its own JVM), runs every
 * scenario through every client in alternation, adds the Go client and {@code etcdctl check perf}
 * where they fit, and prints the ratio tables: our client against jetcd and Go, our server against
 * etcd.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = {"Start servers and run the scenario matrix through etcdj, jetcd and etcd's Go client.",
                "Prints ratio tables (markdown with --markdown) and all results as JSON with --json."})
public final class MatrixCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--targets", split = ",", description = "servers: etcd, etcdj-server (default: both when available)")
    List<String> targets;

    @Option(names = "--clients", split = ",", description = "client libraries (default: etcdj,jetcd)")
    List<String> clients = List.of(Drivers.ETCDJ, Drivers.JETCD);

    @Option(names = "--scenarios", split = ",", description = "only these scenarios (default: all; see --list)")
    List<String> only;

    @Option(names = "--list", description = "list the scenarios and exit")
    boolean list;

    @Option(names = "--scale", description = "multiply request counts (default 1.0)")
    double scale = 1.0;

    @Option(names = "--rounds", description = "alternation rounds per scenario (default 1)")
    int rounds = 1;

    @Option(names = "--go", paramLabel = "BINARY", description = "etcdgobench binary (default: bench/target/etcdgobench if built)")
    Path go;

    @Option(names = "--jit-warmup", paramLabel = "N",
            description = "before each server's first scenario, per JVM client: N unmeasured 1-client puts, N gets, and N/10 puts to 100 watchers (default 20000; 0: none)")
    long jitWarmup = 20_000;

    @Option(names = "--settle", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "before each scenario's measured rounds, one unmeasured run of it through the first client (default on; --no-settle: none)")
    boolean settle = true;

    @Option(names = "--check-perf", description = "also run 'etcdctl check perf --load s' and its equivalent per client (60 s each)")
    boolean checkPerf;

    @Option(names = "--etcd", description = "etcd binary (default /usr/bin/etcd)")
    String etcd = EtcdProcess.DEFAULT_BINARY;

    @Option(names = "--etcdctl", description = "etcdctl binary (default /usr/bin/etcdctl)")
    String etcdctl = "/usr/bin/etcdctl";

    @Option(names = "--json", paramLabel = "FILE", description = "write every result as JSON")
    String json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "write the ratio tables as markdown")
    Path markdown;

    @Override
    public Integer call() throws Exception {
        PrintStream out = BenchCommand.stream(spec.commandLine().getOut());
        PrintStream err = BenchCommand.stream(spec.commandLine().getErr());
        List<Scenarios.Scenario> scenarios = new ArrayList<>();
        for (Scenarios.Scenario s : Scenarios.all()) {
            if (only == null || only.contains(s.name())) {
                scenarios.add(s);
            }
        }
        if (list) {
            // Each scenario as the single command that reproduces it against a running server.
            for (Scenarios.Scenario s : Scenarios.all()) {
                LoadConfig cfg = s.config(List.of("$EP"), scale);
                List<String> args = new ArrayList<>(IsolatedRun.arguments(Drivers.ETCDJ, cfg));
                args.remove("--no-progress");
                args.remove(1);
                args.remove(1); // --client etcdj: the default
                out.printf("%-16s %s%n    bench/run.sh %s --compare jetcd --rounds %d%n", s.name(), s.question(),
                        String.join(" ", args), rounds);
            }
            return 0;
        }
        List<String> targetNames = targets != null ? targets
                : EmbeddedServer.available() ? List.of("etcd", "etcdj-server") : List.of("etcd");
        List<DriverFactory> factories = Drivers.byNames(clients);
        GoReference goRef = goBinary().map(GoReference::new).orElse(null);
        if (goRef == null) {
            err.println("(no etcdgobench binary: the Go client column stays empty; bench/run.sh builds it when Go is installed)");
        }
        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        Map<String, CheckPerf.Report> checkPerfReports = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        try (LoadRunner runner = new LoadRunner(err)) {
            for (String targetName : targetNames) {
                try (Target target = start(targetName, etcd)) {
                    String label = target.name();
                    err.printf("== %s (%s) at %s%n", label, target.description(), target.endpoints());
                    if (jitWarmup > 0) {
                        warmUpJit(runner, factories, target.endpoints(), label, err);
                    }
                    for (Scenarios.Scenario s : scenarios) {
                        LoadConfig cfg = s.config(target.endpoints(), scale);
                        err.printf("-- %s: %s [%s]%n", s.name(), s.question(), cfg.describe());
                        compactHistory(target.endpoints(), err);
                        if (settle && !isolated(cfg.workload())) {
                            settle(runner, factories.get(0), cfg, label, err);
                        }
                        List<String> failed = new ArrayList<>();
                        List<Result> rs = isolated(cfg.workload()) ? isolated(factories, cfg, label, failed)
                                : Comparison.alternate(runner, factories, cfg, rounds, label, null, failed);
                        for (Result r : rs) {
                            results.add(tag(r, s.name()));
                            r.print(err);
                        }
                        failed.forEach(f -> err.println("FAILED " + s.name() + ": " + f));
                        failed.forEach(f -> failures.add(s.name() + ": " + f));
                        if (goRef != null && GoReference.supports(cfg.workload())) {
                            for (int i = 0; i < rounds; i++) {
                                Result r = goRef.run(cfg, label);
                                results.add(tag(r, s.name()));
                                r.print(err);
                            }
                        }
                    }
                    if (checkPerf) {
                        err.printf("-- check perf (load s, 60 s) through etcdctl%n");
                        checkPerfReports.put(label, CheckPerf.run(etcdctl, target.endpoints(), "s"));
                        // Only its verdict lines: the rest is a progress bar redrawn in place.
                        checkPerfReports.get(label).output().lines()
                                .filter(l -> l.contains("PASS") || l.contains("FAIL") || l.contains("too"))
                                .forEach(l -> err.println(l.substring(Math.max(0, l.lastIndexOf('%') + 1)).strip()));
                        for (DriverFactory f : factories) {
                            LoadConfig cfg = CheckPerf.equivalent("s", target.endpoints()).progress(false).build();
                            Result r = runner.run(f, cfg, label);
                            results.add(tag(r, "check-perf-s"));
                            r.print(err);
                        }
                    }
                }
            }
        }
        StringBuilder tablesAndFailures = new StringBuilder(machine(loadBefore, loadAverage()));
        tablesAndFailures.append(MatrixReport.render(results, scenarios, targetNames, clients, checkPerfReports));
        if (!failures.isEmpty()) {
            tablesAndFailures.append("\nRuns that failed:\n\n");
            failures.forEach(f -> tablesAndFailures.append("- ").append(f).append('\n'));
        }
        String tables = tablesAndFailures.toString();
        out.println(tables);
        if (markdown != null) {
            Files.writeString(markdown, tables, StandardCharsets.UTF_8);
        }
        BenchCommand.writeJson(json, results, out);
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * The JVM clients share this JVM across scenarios, so the first rows would otherwise measure the
     * JIT compiling their hot paths: after 2,000 requests a 1-client put still ran at 1,000-1,300/s,
     * after 20,000 at 1,700-2,000/s (Go's range); in the watch fan-out the JIT took more CPU than the
     * client's own work through the measured window. Every JVM client gets the same warm-up; Go's client
     * runs in a new process per run and compiles nothing. Repeated for each target, so our server's
     * new JVM is as warm as a server that has been running, as etcd (Go) is from its start.
     */
    private void warmUpJit(LoadRunner runner, List<DriverFactory> factories, List<String> endpoints, String target,
                           PrintStream err) throws InterruptedException {
        for (Workload w : List.of(Workload.PUT, Workload.RANGE, Workload.WATCH)) {
            LoadConfig.Builder b = Defaults.of(w).endpoints(endpoints).progress(false).warmup(0).prefix("bench-jit-warmup/");
            LoadConfig cfg = switch (w) {
                case PUT -> b.total(jitWarmup).valueSize(256).keySpace(100_000).sequential(true).build();
                case RANGE -> b.total(jitWarmup).valueSize(256).keySpace(1).build();
                // Its puts reach 100 watchers each: a tenth of the puts is ten times the events.
                default -> b.total(Math.max(1, jitWarmup / 10)).build();
            };
            for (DriverFactory f : factories) {
                Result r = runner.run(f, cfg, target);
                err.printf("   (JIT warm-up, not reported: %d %s via %s, %.0f ops/s)%n", r.ops(), w.cliName(), f.name(),
                        r.throughput());
            }
        }
    }

    /**
     * Each scenario starts from a compacted store, as a server under {@code --auto-compaction}
     * would be, so one scenario's writes do not tax the next one's reads. etcd 3.4 copies its whole
     * read buffer, grown to the largest write batch until a commit writes no key, on every read
     * ({@code bucketBuffer.Copy} in mvcc/backend/tx_buffer.go): after put-100c's burst that copy held
     * serializable gets to ~2,400/s for every client, against 11,000/s from a compacted store.
     */
    static void compactHistory(List<String> endpoints, PrintStream err) throws InterruptedException {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).build()) {
            long revision = client.kv().get(Bytes.of("bench-compact")).get(30, TimeUnit.SECONDS).header().revision();
            client.kv().compact(revision, true).get(60, TimeUnit.SECONDS);
            err.printf("   (history compacted at revision %d)%n", revision);
        } catch (ExecutionException e) {
            // Compacting again at a revision already compacted (no write since) is refused; nothing to do.
            if (!(e.getCause() instanceof CompactedException)) {
                throw new IllegalStateException("cannot compact " + endpoints + " before the scenario", e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot compact " + endpoints + " before the scenario", e);
        }
    }

    /**
     * One unmeasured run of the scenario before its measured rounds. The server has just compacted
     * the last scenario's history (before the first scenario, also deleted the JIT warm-up's keys),
     * and the first round after that met it still settling: in every run before this pass, the
     * first 1-client put round's p99 was 1.2-2.9x the second round's, for whichever client ran
     * first (ours, as the first of --clients). Go's client runs after both rounds and never met
     * it. Through the first client only, which keeps the matrix short; nothing of it is reported.
     */
    private static void settle(LoadRunner runner, DriverFactory first, LoadConfig cfg, String target, PrintStream err)
            throws InterruptedException {
        try {
            Result r = runner.run(first, cfg, target);
            err.printf("   (settle pass, not reported: %d ops via %s, %.0f ops/s)%n", r.ops(), first.name(), r.throughput());
        } catch (RuntimeException e) {
            // The measured rounds meet the same failure and report it.
            err.printf("   (settle pass failed: %s)%n", ClosedLoop.describe(e));
        }
    }

    /** Heap numbers are only meaningful from a JVM that ran nothing else. */
    private static boolean isolated(Workload w) {
        return w == Workload.WATCH_HEAP || w == Workload.WATCH_SLOW;
    }

    private List<Result> isolated(List<DriverFactory> factories, LoadConfig cfg, String target, List<String> failed)
            throws InterruptedException {
        List<Result> rs = new ArrayList<>();
        for (DriverFactory f : Comparison.schedule(factories, rounds)) {
            try {
                rs.add(IsolatedRun.run(f.name(), cfg, target));
            } catch (java.io.IOException | RuntimeException e) {
                failed.add(cfg.workload().cliName() + " via " + f.name() + " against " + target + ": " + e.getMessage());
            }
        }
        return rs;
    }

    private static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format("%.1f", l);
    }

    /** What the numbers were measured on: they mean little without it. */
    private String machine(String loadBefore, String loadAfter) {
        Runtime rt = Runtime.getRuntime();
        return String.format("Machine: %d cores, %s %s, Java %s (%s), max heap %d MB; load average %s before, %s after;"
                        + " scale %.2f, %d round(s), date %s%n", rt.availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                rt.maxMemory() / (1024 * 1024), loadBefore, loadAfter, scale, rounds,
                java.time.LocalDate.now());
    }

    /** The scenario's name stands in for the workload name, so rows of one workload stay apart. */
    private static Result tag(Result r, String scenario) {
        return new Result(scenario, r.driver(), r.target(), r.params(), r.ops(), r.errors(), r.errorKinds(), r.seconds(),
                r.throughput(), r.latency(), r.latencies(), r.metrics());
    }

    private java.util.Optional<Path> goBinary() {
        if (go != null) {
            return java.util.Optional.of(go);
        }
        for (Path p : List.of(Path.of("bench/target/etcdgobench"), Path.of("target/etcdgobench"))) {
            if (Files.isExecutable(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    static Target start(String name, String etcdBinary) {
        return switch (name) {
            case "etcd" -> EtcdProcess.start(etcdBinary);
            case "etcdj-server" -> ServerProcess.start(List.of("-Xmx1g"));
            default -> throw new IllegalArgumentException("unknown target " + name + " (etcd, etcdj-server)");
        };
    }
}
