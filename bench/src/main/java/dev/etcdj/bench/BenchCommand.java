package dev.etcdj.bench;

import dev.etcdj.bench.driver.DriverFactory;
import dev.etcdj.bench.driver.Drivers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: load an etcd cluster and report throughput and latency percentiles, with the
 * workload as subcommand. Meant to be added to a bigger command line as it is
 * ({@code etcdj bench put ...}); needs only etcdj's client, picocli and HdrHistogram, plus jetcd when
 * a run asks to compare with it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark an etcd cluster (or etcdj's server) through etcdj's client, optionally against jetcd.",
                "Progress goes to stderr, the report to stdout; --json writes the results for machines."},
        subcommands = {BenchCommand.Put.class, BenchCommand.Range.class, BenchCommand.TxnPut.class,
                BenchCommand.Mixed.class, BenchCommand.Watch.class, BenchCommand.WatchLatency.class,
                BenchCommand.LeaseKeepAlive.class, BenchCommand.WatchHeap.class, BenchCommand.WatchSlow.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a workload: put, range, txn-put, mixed, "
                + "watch, watch-latency, lease-keepalive, watch-heap, watch-slow");
    }

    /**
     * What the subcommands share: turn options into a config, run, report, exit 1 on request errors.
     * Options mixed in as {@link WorkloadOption}s are applied over the workload's defaults, which
     * {@link WorkloadDefaults} shows in their help.
     */
    @Command(mixinStandardHelpOptions = true, defaultValueProvider = WorkloadDefaults.class)
    abstract static class WorkloadCommand implements Callable<Integer> {
        @Mixin
        LoadOptions options;

        @Spec
        CommandSpec spec;

        /** The workload this subcommand is named after (its {@link Workload#cliName()}). */
        Workload workload() {
            return Workload.byName(spec.name());
        }

        void customize(LoadConfig.Builder b) {}

        /** The run the options describe: the workload's defaults with the given options over them. */
        LoadConfig config() {
            LoadConfig.Builder b = options.apply(Defaults.of(workload()));
            for (CommandSpec mixin : spec.mixins().values()) {
                if (mixin.userObject() instanceof WorkloadOption o) {
                    o.applyTo(b);
                }
            }
            customize(b);
            return b.build();
        }

        /** The client measured first, then those it is compared with. */
        List<String> clientNames() {
            List<String> names = new ArrayList<>();
            names.add(options.client == null ? Drivers.ETCDJ : options.client);
            if (options.compare != null) {
                options.compare.stream().filter(n -> !names.contains(n)).forEach(names::add);
            }
            return names;
        }

        @Override
        public Integer call() throws Exception {
            PrintStream out = stream(spec.commandLine().getOut());
            PrintStream err = stream(spec.commandLine().getErr());
            LoadConfig cfg;
            List<DriverFactory> factories;
            try {
                cfg = config();
                factories = Drivers.byNames(clientNames());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            int rounds = options.rounds == null ? 1 : Math.max(1, options.rounds);
            List<Result> results;
            try (LoadRunner runner = new LoadRunner(err)) {
                results = Comparison.alternate(runner, factories, cfg, rounds, String.join(",", cfg.endpoints()), out);
            }
            for (int i = 1; i < factories.size(); i++) {
                out.println();
                Comparison.printRatios(out, Comparison.ratios(results, factories.get(0).name(), factories.get(i).name()),
                        factories.get(0).name(), factories.get(i).name());
            }
            writeJson(options.json, results, out);
            out.flush();
            return results.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
        }
    }

    static void writeJson(String where, List<Result> results, PrintStream out) throws IOException {
        if (where == null) {
            return;
        }
        String json = Result.toJson(results);
        if (where.equals("-")) {
            out.print(json);
        } else {
            Files.writeString(Path.of(where), json, StandardCharsets.UTF_8);
        }
    }

    static PrintStream stream(PrintWriter w) {
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                w.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                w.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                w.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    enum Consistency { l, s }

    /** An option only some workloads take, mixed into their commands: applied over the workload's defaults. */
    interface WorkloadOption {
        void applyTo(LoadConfig.Builder b);
    }

    /** {@code --consistency} of the workloads that read. */
    static final class ConsistencyOption implements WorkloadOption {
        @Option(names = "--consistency", description = "reads: l (linearizable, default) or s (serializable)")
        Consistency consistency = Consistency.l;

        @Override
        public void applyTo(LoadConfig.Builder b) {
            b.serializable(consistency == Consistency.s);
        }
    }

    /** {@code --watchers} of the watch workloads; the help shows each workload's own default. */
    static final class WatchersOption implements WorkloadOption {
        @Option(names = "--watchers", description = "watchers (default ${DEFAULT-VALUE})")
        Integer watchers;

        @Override
        public void applyTo(LoadConfig.Builder b) {
            if (watchers != null) {
                b.watchers(watchers);
            }
        }
    }

    /**
     * The defaults of the workload-specific options, from {@link Defaults}, so that the help text
     * ({@code ${DEFAULT-VALUE}}) cannot drift from what a run uses.
     */
    static final class WorkloadDefaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof CommandLine.Model.OptionSpec o && arg.command().userObject() instanceof WorkloadCommand c)) {
                return null;
            }
            LoadConfig d = Defaults.of(c.workload()).build();
            return switch (o.longestName()) {
                case "--watchers", "--leases" -> String.valueOf(d.watchers());
                case "--lease-ttl" -> String.valueOf(d.leaseTtl());
                case "--read-ratio" -> String.valueOf(d.readRatio());
                default -> null;
            };
        }
    }

    @Command(name = "put", description = "Puts (etcd benchmark's put).")
    static final class Put extends WorkloadCommand {
    }

    @Command(name = "range",
            description = "Gets of keys written first (the whole key space), as etcd benchmark's range.")
    static final class Range extends WorkloadCommand {
        @Mixin
        ConsistencyOption consistency;
    }

    @Command(name = "txn-put", description = "Transactions without compares whose only op is a put.")
    static final class TxnPut extends WorkloadCommand {
    }

    @Command(name = "mixed", description = "Gets and puts at a read ratio.")
    static final class Mixed extends WorkloadCommand {
        @Option(names = "--read-ratio", description = "share of requests that are gets (default ${DEFAULT-VALUE})")
        Double readRatio;

        @Mixin
        ConsistencyOption consistency;

        @Override
        void customize(LoadConfig.Builder b) {
            if (readRatio != null) {
                b.readRatio(readRatio);
            }
        }
    }

    @Command(name = "watch",
            description = {"--watchers watchers on one prefix (spread over the connections), --clients writers putting under it.",
                    "Reports event throughput and put-to-event latency (value carries the send time)."})
    static final class Watch extends WorkloadCommand {
        @Mixin
        WatchersOption watchers;
    }

    @Command(name = "watch-latency",
            description = "Rate-limited puts (default 100/s) to one key; put-to-event latency at each watcher.")
    static final class WatchLatency extends WorkloadCommand {
        @Mixin
        WatchersOption watchers;
    }

    @Command(name = "lease-keepalive",
            description = {"Grants --leases leases and keeps them all alive with keep-alive streams while",
                    "workers renew random ones with keepAliveOnce (the measured request)."})
    static final class LeaseKeepAlive extends WorkloadCommand {
        @Option(names = "--leases", description = "leases held alive during the run (default ${DEFAULT-VALUE})")
        Integer leases;

        @Option(names = "--lease-ttl", description = "their TTL in seconds (default ${DEFAULT-VALUE})")
        Long ttl;

        @Override
        void customize(LoadConfig.Builder b) {
            if (leases != null) {
                b.watchers(leases);
            }
            if (ttl != null) {
                b.leaseTtl(ttl);
            }
        }
    }

    @Command(name = "watch-heap",
            description = "Heap one new client holds with --watchers watchers on it, after a full GC.")
    static final class WatchHeap extends WorkloadCommand {
        @Mixin
        WatchersOption watchers;
    }

    @Command(name = "watch-slow",
            description = {"One watcher whose consumer blocks while writers put --total values of --val-size.",
                    "Reports the heap retained while it is blocked (unbounded buffering shows here), then",
                    "releases it and checks that every event still arrives."})
    static final class WatchSlow extends WorkloadCommand {
    }
}
