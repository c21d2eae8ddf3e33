package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private static BenchCommand.WorkloadCommand parse(String... args) {
        CommandLine cl = BenchMain.commandLine();
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (BenchCommand.WorkloadCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void putTakesEtcdBenchmarkStyleOptions() {
        LoadConfig c = parse("put", "--endpoints", "http://127.0.0.1:1,http://127.0.0.1:2", "--conns", "10",
                "--clients", "100", "--total", "5000", "--key-size", "16", "--val-size", "256",
                "--key-space-size", "1000", "--sequential-keys", "--rate", "500").config();
        assertThat(c.workload()).isEqualTo(Workload.PUT);
        assertThat(c.endpoints()).containsExactly("http://127.0.0.1:1", "http://127.0.0.1:2");
        assertThat(c.conns()).isEqualTo(10);
        assertThat(c.clients()).isEqualTo(100);
        assertThat(c.total()).isEqualTo(5000);
        assertThat(c.keySize()).isEqualTo(16);
        assertThat(c.valueSize()).isEqualTo(256);
        assertThat(c.keySpace()).isEqualTo(1000);
        assertThat(c.sequential()).isTrue();
        assertThat(c.rate()).isEqualTo(500);
        assertThat(c.warmup()).isEqualTo(500); // a tenth of the total by default
    }

    @Test
    void unsetOptionsKeepTheWorkloadsDefaults() {
        LoadConfig watch = parse("watch").config();
        assertThat(watch.watchers()).isEqualTo(100);
        assertThat(watch.clients()).isEqualTo(4);
        LoadConfig latency = parse("watch-latency").config();
        assertThat(latency.rate()).isEqualTo(100);
        assertThat(latency.keySpace()).isEqualTo(1);
        LoadConfig put = parse("put").config();
        assertThat(put.total()).isEqualTo(10_000);
        assertThat(put.keySize()).isEqualTo(8);
        assertThat(put.valueSize()).isEqualTo(8);
    }

    @Test
    void workloadSpecificOptions() {
        assertThat(parse("range", "--consistency", "s").config().serializable()).isTrue();
        assertThat(parse("range").config().serializable()).isFalse();
        LoadConfig mixed = parse("mixed", "--read-ratio", "0.5", "--consistency", "s").config();
        assertThat(mixed.readRatio()).isEqualTo(0.5);
        assertThat(mixed.serializable()).isTrue();
        LoadConfig leases = parse("lease-keepalive", "--leases", "5000", "--lease-ttl", "30").config();
        assertThat(leases.watchers()).isEqualTo(5000);
        assertThat(leases.leaseTtl()).isEqualTo(30);
        assertThat(parse("watch-heap", "--watchers", "20000").config().watchers()).isEqualTo(20000);
    }

    @Test
    void theMatrixSettlesEachScenarioUnlessToldNot() {
        MatrixCommand plain = new MatrixCommand();
        new CommandLine(plain).parseArgs();
        assertThat(plain.settle).isTrue();
        MatrixCommand none = new MatrixCommand();
        new CommandLine(none).parseArgs("--no-settle");
        assertThat(none.settle).isFalse();
    }

    @Test
    void helpShowsEachWorkloadsOwnWatcherDefault() {
        CommandLine bench = new CommandLine(new BenchCommand());
        assertThat(bench.getSubcommands().get("watch").getUsageMessage()).contains("watchers (default 100)");
        assertThat(bench.getSubcommands().get("watch-latency").getUsageMessage()).contains("watchers (default 10)");
        assertThat(bench.getSubcommands().get("watch-heap").getUsageMessage()).contains("watchers (default 10000)");
        assertThat(bench.getSubcommands().get("mixed").getUsageMessage()).contains("gets (default 0.9)");
        assertThat(bench.getSubcommands().get("lease-keepalive").getUsageMessage())
                .contains("during the run (default 1000)", "in seconds (default 10)");
        assertThat(bench.getSubcommands().get("range").getUsageMessage()).contains("--consistency");
        assertThat(bench.getSubcommands().get("put").getUsageMessage()).doesNotContain("--watchers", "--consistency");
    }

    @Test
    void durationsInHumanUnits() {
        assertThat(parse("put", "--duration", "30s", "--total", "0").config().duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(parse("put", "--duration", "1500ms").config().duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(parse("put", "--duration", "2m").config().duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse("put", "--duration", "PT5S").config().duration()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> parse("put", "--duration", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("not a duration");
    }

    @Test
    void compareListsTheClientsAfterOurs() {
        assertThat(parse("put", "--compare", "jetcd").clientNames()).containsExactly("etcdj", "jetcd");
        assertThat(parse("put").clientNames()).containsExactly("etcdj");
        assertThat(parse("put", "--client", "jetcd", "--compare", "etcdj,jetcd").clientNames())
                .containsExactly("jetcd", "etcdj");
    }

    @Test
    void unboundedOrInvalidRunsAreRefused() {
        assertThatThrownBy(() -> parse("put", "--total", "0").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bounded");
        assertThatThrownBy(() -> parse("put", "--duration", "11m").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10 minutes");
        assertThatThrownBy(() -> parse("put", "--clients", "0").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--clients");
        assertThatThrownBy(() -> parse("mixed", "--read-ratio", "1.5").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--read-ratio");
    }

    @Test
    void anUnknownClientIsAUsageErrorWithExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cl = BenchMain.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("put", "--compare", "nosuch", "--total", "1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown client 'nosuch'");
    }

    @Test
    void everyWorkloadIsASubcommand() {
        CommandLine bench = new CommandLine(new BenchCommand());
        for (Workload w : Workload.values()) {
            assertThat(bench.getSubcommands()).containsKey(w.cliName());
            CommandLine sub = bench.getSubcommands().get(w.cliName());
            assertThat(((BenchCommand.WorkloadCommand) sub.getCommand()).workload()).isEqualTo(w);
            assertThat(sub.getUsageMessage()).contains("--help", "--version");
        }
        assertThat(List.copyOf(BenchMain.commandLine().getSubcommands().keySet())).contains("matrix");
    }
}
