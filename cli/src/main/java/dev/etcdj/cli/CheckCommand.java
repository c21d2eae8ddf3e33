package dev.etcdj.cli;

import dev.etcdj.cli.check.LoadReport;
import dev.etcdj.cli.check.MemoryMetrics;
import dev.etcdj.cli.check.ProgressBar;
import dev.etcdj.cli.check.PutLoad;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.Options;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * etcdctl 3.4's {@code check perf} and {@code check datascale} (ctlv3/command/check.go): the same
 * workloads (one client connection per worker, key and value sizes, pace and length), verdict lines,
 * exit codes, refusals and clean-up of the prefix. The load engine is {@link PutLoad}.
 */
@Command(name = "check", description = "commands for checking properties of the etcd cluster",
        customSynopsis = "check <subcommand>", subcommands = {CheckCommand.Perf.class, CheckCommand.Datascale.class})
final class CheckCommand {

    @Mixin
    CommandArgs cmd;

    /** The load names etcdctl accepts, long and short, to the short one. */
    private static final Map<String, String> LOADS = Map.of("s", "s", "small", "s", "m", "m", "medium", "m",
            "l", "l", "large", "l", "xl", "xl", "xLarge", "xl");

    /** check perf's loads: the write rate (per second) and the number of clients. Each runs 60 s. */
    private static final Map<String, int[]> PERF = Map.of("s", new int[] {150, 50}, "m", new int[] {1000, 200},
            "l", new int[] {8000, 500}, "xl", new int[] {15000, 1000});

    /** check datascale's loads: the number of keys and of clients; every key-value pair is 1024 bytes. */
    private static final Map<String, int[]> DATASCALE = Map.of("s", new int[] {10_000, 50},
            "m", new int[] {100_000, 200}, "l", new int[] {1_000_000, 500}, "xl", new int[] {3_000_000, 1000});

    /** What both checks share: their flags, the refusal of a prefix in use and the clean-up after. */
    abstract static class Check extends EtcdctlCommand {

        @Option(names = "--auto-compact", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                description = "Compact storage with last revision after test is finished.")
        boolean autoCompact;

        @Option(names = "--auto-defrag", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                description = "Defragment storage after test is finished.")
        boolean autoDefrag;

        /**
         * {@code --load} and {@code --prefix}, set through each check's own option (the defaults and
         * help texts differ).
         */
        String load;
        String prefix;

        /** The figures of the chosen load in this check's table: the rate or the key count, and the clients. */
        int[] config(Map<String, int[]> table) {
            String model = LOADS.get(load);
            if (model == null) {
                throw new CliException(CliException.EXIT_BAD_FEATURE, "unknown load option " + load);
            }
            return table.get(model);
        }

        /** One client per worker, as etcdctl makes; calls without a deadline, as its context.Background. */
        List<EtcdClient> clients(Cli cli, int n) {
            List<EtcdClient> clients = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                clients.add(cli.clientWithoutDeadline());
            }
            return clients;
        }

        void refuseUsedPrefix(Cli cli, EtcdClient c, Duration timeout) {
            GetResponse r = within(cli, c.kv().get(prefix, Options.prefix(), Options.limit(1)), timeout);
            if (!r.kvs().isEmpty()) {
                throw new CliException(CliException.EXIT_INVALID_INPUT, "prefix " + GoValues.quote(prefix)
                        + " has keys. Delete with etcdctl del --prefix " + prefix + " first");
            }
        }

        /** Deletes the prefix, then compacts and defragments when asked, with etcdctl's lines. */
        void cleanUp(Cli cli, EtcdClient c, Duration timeout) {
            DeleteResponse d = within(cli, c.kv().delete(prefix, Options.prefix()), timeout);
            Duration half = Duration.ofSeconds(30);
            if (autoCompact) {
                long rev = d.header().revision();
                cli.out.println("Compacting with revision " + rev);
                within(cli, c.kv().compact(rev, true), half);
                cli.out.println("Compacted with revision " + rev);
            }
            if (autoDefrag) {
                for (String ep : c.endpoints()) {
                    cli.out.println("Defragmenting " + GoValues.quote(ep));
                    within(cli, c.maintenance().defragment(ep), half);
                    cli.out.println("Defragmented " + GoValues.quote(ep));
                }
            }
        }

        /** The errors of a load, etcdctl's lines for them; true when there were none. */
        static boolean noErrors(Cli cli, LoadReport.Stats s) {
            if (s.errors().isEmpty()) {
                return true;
            }
            cli.out.println("FAIL: too many errors");
            s.errors().forEach((text, n) -> cli.out.println("FAIL: ERROR(" + text + ") -> " + n));
            return false;
        }

        /**
         * Waits for a call as etcdctl's context does: up to {@code timeout} (none when null), or until
         * interrupted; a failure ends the command with exit 1 and the error's text.
         */
        static <T> T within(Cli cli, CompletableFuture<T> f, Duration timeout) {
            CompletableFuture<Object> either = CompletableFuture.anyOf(f, cli.interrupted);
            try {
                if (timeout == null) {
                    either.get();
                } else {
                    either.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (!f.isDone()) {
                    f.cancel(true);
                    throw new CliException(CliException.EXIT_ERROR, "context canceled");
                }
                return f.join();
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new CliException(CliException.EXIT_ERROR, "context deadline exceeded");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(CliException.EXIT_ERROR, "context canceled");
            } catch (ExecutionException | java.util.concurrent.CompletionException e) {
                throw new CliException(CliException.EXIT_ERROR, Cli.errorText(e.getCause()));
            }
        }
    }

    @Command(name = "perf", description = "Check the performance of the etcd cluster", customSynopsis = "perf [options]")
    static final class Perf extends Check {

        @Option(names = "--load", defaultValue = "s",
                description = "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
        void load(String load) {
            this.load = load;
        }

        @Option(names = "--prefix", defaultValue = "/etcdctl-check-perf/",
                description = "The prefix for writing the performance check's keys.")
        void prefix(String prefix) {
            this.prefix = prefix;
        }

        /**
         * A test aid, not an etcdctl flag (hidden from help): how long the load runs instead of
         * etcdctl's 60 s, so the tests can check the whole command without a minute per run.
         */
        @Option(names = "--x-test-duration", hidden = true, defaultValue = "60s")
        Duration duration;

        @Override
        public Integer call() throws InterruptedException {
            int[] cfg = config(PERF);
            int rate = cfg[0];
            Cli cli = cli();
            List<EtcdClient> clients = clients(cli, cfg[1]);
            EtcdClient first = clients.get(0);
            refuseUsedPrefix(cli, first, Duration.ofSeconds(60));

            long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
            ProgressBar bar = ProgressBar.start(cli.out, seconds, cli.env);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "check-perf-clock");
                t.setDaemon(true);
                return t;
            });
            LoadReport.Stats s;
            // The bar counts the seconds on its own clock and is full when that clock has run the
            // whole length, as etcdctl's ticking goroutine; the load may end a slot earlier.
            java.util.concurrent.CountDownLatch ticks = new java.util.concurrent.CountDownLatch((int) seconds);
            try {
                ticker.scheduleAtFixedRate(() -> {
                    if (ticks.getCount() > 0) {
                        bar.add(1);
                        ticks.countDown();
                    }
                }, 1, 1, TimeUnit.SECONDS);
                s = new PutLoad(clients, prefix, 256, 1024, Cli::errorText)
                        .paced(rate, duration.toNanos(), cli.interrupted);
                ticks.await(5, TimeUnit.SECONDS);
            } finally {
                ticker.shutdownNow();
            }
            bar.finish();
            cleanUp(cli, first, Duration.ofSeconds(30));

            boolean ok = noErrors(cli, s);
            long writes = (long) s.rps() + 1;
            if (s.rps() / rate <= 0.9) {
                cli.out.println("FAIL: Throughput too low: " + writes + " writes/s");
                ok = false;
            } else {
                cli.out.println("PASS: Throughput is " + writes + " writes/s");
            }
            if (s.slowest() > 0.5) {
                cli.out.println("Slowest request took too long: " + seconds(s.slowest()) + "s");
                ok = false;
            } else {
                cli.out.println("PASS: Slowest request took " + seconds(s.slowest()) + "s");
            }
            if (s.stddev() > 0.1) {
                cli.out.println("Stddev too high: " + seconds(s.stddev()) + "s");
                ok = false;
            } else {
                cli.out.println("PASS: Stddev is " + seconds(s.stddev()) + "s");
            }
            cli.out.println(ok ? "PASS" : "FAIL");
            return ok ? 0 : CliException.EXIT_ERROR;
        }

        /** Go's %f. */
        private static String seconds(double v) {
            return String.format(Locale.ROOT, "%f", v);
        }
    }

    @Command(name = "datascale",
            description = "Check the memory usage of holding data for different workloads on a given server endpoint.",
            customSynopsis = "datascale [options]",
            footer = "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.")
    static final class Datascale extends Check {

        @Option(names = "--load", defaultValue = "s",
                description = "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)")
        void load(String load) {
            this.load = load;
        }

        @Option(names = "--prefix", defaultValue = "/etcdctl-check-datascale/",
                description = "The prefix for writing the datascale check's keys.")
        void prefix(String prefix) {
            this.prefix = prefix;
        }

        /**
         * A test aid, not an etcdctl flag (hidden from help): how many keys to put instead of the
         * load's count (0: the load's), so the tests can check the whole command quickly. The line
         * announcing the load still names the load's own figures.
         */
        @Option(names = "--x-test-keys", hidden = true, defaultValue = "0")
        long testKeys;

        @Override
        public Integer call() throws InterruptedException {
            int[] cfg = config(DATASCALE);
            Cli cli = cli();
            List<EtcdClient> clients = clients(cli, cfg[1]);
            EtcdClient first = clients.get(0);
            String endpoint = cli.endpoints().get(0).trim();
            refuseUsedPrefix(cli, first, null);

            double before = memory(cli, first, endpoint);
            if (before == 0) {
                return fail(cli, "before");
            }
            cli.out.println("Start data scale check for work load [" + cfg[0] + " key-value pairs, 1024 bytes per key-value, "
                    + cfg[1] + " concurrent clients].");
            long keys = testKeys > 0 ? testKeys : cfg[0];
            ProgressBar bar = ProgressBar.start(cli.out, keys, cli.env);
            LoadReport.Stats s = new PutLoad(clients, prefix, 512, 512, Cli::errorText)
                    .counted(keys, bar::increment, cli.interrupted);
            bar.finish();

            double after = memory(cli, first, endpoint);
            if (after == 0) {
                return fail(cli, "after");
            }
            cleanUp(cli, first, null);
            if (!noErrors(cli, s)) {
                return CliException.EXIT_ERROR;
            }
            double mb = (after - before) / (1024 * 1024);
            cli.out.println("PASS: Approximate system memory used : "
                    + new BigDecimal(mb).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " MB.");
            return 0;
        }

        private static double memory(Cli cli, EtcdClient client, String endpoint) {
            return MemoryMetrics.residentBytes(endpoint, cli.global.cert, cli.global.key, client.sslContext(), cli.out);
        }

        private static int fail(Cli cli, String when) {
            cli.out.println("FAIL: Could not read process_resident_memory_bytes " + when + " the put operations.");
            return CliException.EXIT_ERROR;
        }
    }
}
