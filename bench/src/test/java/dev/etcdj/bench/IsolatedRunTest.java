package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IsolatedRunTest {

    private static LoadConfig reparse(LoadConfig cfg) {
        List<String> args = IsolatedRun.arguments("jetcd", cfg);
        CommandLine.ParseResult r = BenchMain.commandLine().parseArgs(args.toArray(String[]::new));
        BenchCommand.WorkloadCommand c = (BenchCommand.WorkloadCommand) r.subcommand().commandSpec().userObject();
        assertThat(c.clientNames()).containsExactly("jetcd");
        return c.config();
    }

    @Test
    void theChildRunsExactlyTheSameConfiguration() {
        for (Scenarios.Scenario s : Scenarios.all()) {
            LoadConfig cfg = s.config(List.of("http://127.0.0.1:1"), 1.0);
            assertThat(reparse(cfg)).as(s.name()).isEqualTo(cfg.toBuilder().progress(false).build());
        }
    }

    @Test
    void readsTheChildsReport() {
        Result written = new Result("watch-heap", "etcdj", "etcd", "p", 10_000, 0, Map.of(), 3.4, 2919.0,
                new LatencySummary(5, 1, 0.5, 1, 2, 3, 4, 5), Map.of(),
                Map.of("watchers", 10_000L, "heap_mb", 5.67, "bytes_per_watcher", 594.14));
        Result read = IsolatedRun.parse(Result.toJson(List.of(written)), "etcdj",
                Defaults.of(Workload.WATCH_HEAP).build(), "etcd");
        assertThat(read.ops()).isEqualTo(10_000);
        assertThat(read.throughput()).isEqualTo(2919.0);
        assertThat(read.metric("heap_mb")).isEqualTo(5.67);
        assertThat(read.metric("bytes_per_watcher")).isEqualTo(594.14);
        assertThat(read.latency().p99()).isEqualTo(3);
    }
}
