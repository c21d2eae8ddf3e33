package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Options;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * etcdctl's {@code check perf}, {@code check datascale} and {@code --debug} against etcdj's, on real
 * etcd and on our server. The checks run 60 s (perf) or put 10,000 keys (datascale) by design, so in
 * CI etcdj's runs are shortened with its hidden test aids and judged on their output's form and
 * clean-up; refusals, help and debug's flag lines are compared byte for byte with etcdctl's. The
 * full-length comparison with etcdctl runs with {@code -Detcdj.cli.fullCheck=true}.
 */
class CheckParityIT {

    private final Background bg = new Background();

    @AfterEach
    void cleanUp() throws Exception {
        bg.close();
    }

    @Test
    void helpMatchesEtcdctl() throws Exception {
        List<String> global = List.of("--endpoints", "127.0.0.1:1");
        for (Step s : List.of(Step.of("check"), Step.of("check", "--help"), Step.of("check", "perf", "--help"),
                Step.of("check", "datascale", "-h"))) {
            assertThat(AdminRunner.etcdj(global, s)).as(String.join(" ", s.args()))
                    .isEqualTo(AdminRunner.etcdctl(global, s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    void refusalsAndDebugFlagsMatchEtcdctl(String target) throws Exception {
        String ep = bg.server(target);
        try (EtcdClient c = EtcdClient.builder().endpoints(ep).build()) {
            c.kv().put("/used/a", "1").join();
        }
        List<String> global = List.of("--endpoints", ep);
        for (Step s : List.of(Step.of("check", "perf", "--load", "huge"), Step.of("check", "datascale", "--load", "S"),
                Step.of("check", "perf", "--prefix", "/used/"), Step.of("check", "datascale", "--prefix", "/used/", "x"),
                Step.of("check", "perf", "--load", "small", "--prefix", "/us"))) {
            assertThat(AdminRunner.etcdj(global, s)).as(String.join(" ", s.args()))
                    .isEqualTo(AdminRunner.etcdctl(global, s));
        }
        // The first endpoint's /metrics is read: a refused connection fails the check before any put.
        List<String> deadFirst = List.of("--endpoints", "127.0.0.1:1," + ep);
        Step datascale = Step.of("check", "datascale");
        Result expected = AdminRunner.etcdctl(deadFirst, datascale);
        assertThat(expected.out()).contains("connection refused");
        assertThat(AdminRunner.etcdj(deadFirst, datascale)).isEqualTo(expected);

        // --debug: the global flags with their values in effect, in etcdctl's order and notation.
        List<String> debug = List.of("--debug", "--endpoints", ep + "," + ep, "--dial-timeout", "1500ms",
                "--keepalive-time", "90s", "--hex", "-w", "json", "--command-timeout=5m0.5s");
        Step get = Step.of("get", "nothing-here");
        Result ctl = AdminRunner.etcdctl(debug, get);
        Result ours = AdminRunner.etcdj(debug, get);
        assertThat(flagLines(ours.err())).isEqualTo(flagLines(ctl.err())).hasSizeGreaterThan(15)
                .contains("ETCDCTL_ENDPOINTS=[" + ep + "," + ep + "]", "ETCDCTL_DIAL_TIMEOUT=1.5s",
                        "ETCDCTL_KEEPALIVE_TIME=1m30s", "ETCDCTL_COMMAND_TIMEOUT=5m0.5s", "ETCDCTL_HEX=true");
        assertThat(ours.err()).startsWith("ETCDCTL_").contains("[etcdj] call KV/Range to " + ep);
        assertThat(ours.code()).isEqualTo(ctl.code()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    void aShortenedPerfRunReportsAsEtcdctlAndCleansUp(String target) throws Exception {
        String ep = bg.server(target);
        Result r = quietRun(ep, "check", "perf", "--auto-compact", "--auto-defrag", "--x-test-duration", "2s");
        List<String> lines = lines(r.out());
        assertThat(lines.get(0)).matches("\r 0 / 2 +0\\.00%(\r [0-2] / 2 +[0-9.]+%( \\d\\dm\\d\\ds)?)*\r 2 / 2  100\\.00% [23]s");
        assertThat(lines.get(1)).matches("Compacting with revision \\d+");
        assertThat(lines.get(2)).isEqualTo(lines.get(1).replace("Compacting", "Compacted"));
        assertThat(lines.subList(3, 5)).containsExactly("Defragmenting \"" + ep + "\"", "Defragmented \"" + ep + "\"");
        assertVerdict(lines.subList(5, lines.size()), r.code());
        assertPrefixEmpty(ep, "/etcdctl-check-perf/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    void aSmallDatascaleRunReportsAsEtcdctlAndCleansUp(String target) throws Exception {
        String ep = bg.server(target);
        Result r = quietRun(ep, "check", "datascale", "--prefix", "/ds/", "--x-test-keys", "300");
        assertThat(r.code()).isZero();
        List<String> lines = lines(r.out());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(
                "Start data scale check for work load [10000 key-value pairs, 1024 bytes per key-value, 50 concurrent clients].");
        assertThat(lines.get(1)).startsWith("\r 0 / 300    0.00%").matches("(\r \\d+ / 300 +[0-9.]+%( \\d\\dm\\d\\ds)?)*"
                + "\r 300 / 300  100\\.00% \\d+(\\.\\d+)?s");
        assertThat(lines.get(2)).matches("PASS: Approximate system memory used : -?\\d+\\.\\d\\d MB\\.");
        assertPrefixEmpty(ep, "/ds/");
    }

    /** Both full-length checks through etcdctl and etcdj on each target: the same lines, numbers aside. */
    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    @EnabledIfSystemProperty(named = "etcdj.cli.fullCheck", matches = "true")
    void fullLengthChecksMatchEtcdctl(String target) throws Exception {
        String ep = bg.server(target);
        List<String> global = List.of("--endpoints", ep);
        for (Step s : List.of(Step.of("check", "perf", "--auto-compact"), Step.of("check", "datascale", "--auto-defrag"))) {
            Result ctl = AdminRunner.etcdctl(global, s, 300);
            Result ours = AdminRunner.etcdj(global, s);
            assertThat(shape(ours.out())).as(String.join(" ", s.args())).isEqualTo(shape(ctl.out()));
            assertThat(ours.err()).isEqualTo(ctl.err()).isEmpty();
        }
        assertPrefixEmpty(ep, "/etcdctl-check");
    }

    /** etcdj's run of a check against {@code ep}, which writes nothing to stderr. */
    private static Result quietRun(String ep, String... args) {
        Result r = AdminRunner.etcdj(List.of("--endpoints", ep), Step.of(args));
        assertThat(r.err()).as(String.join(" ", args)).isEmpty();
        return r;
    }

    /** The lines with the measured numbers and the progress redraws taken out. */
    private static List<String> shape(String out) {
        List<String> l = new ArrayList<>();
        for (String line : lines(out)) {
            // etcdctl's bar finishes on its own goroutine: its last redraw may share a line with the
            // next output (as "100.00%Compacting ..."). The progress text is dropped wherever it is.
            String last = line.replaceAll("\r? \\d+ / \\d+ +\\d+\\.\\d\\d%( (\\d+h)?(\\d+m)?\\d+(\\.\\d+)?s)?", "");
            if (last.isEmpty()) {
                continue;
            }
            l.add(last.replaceAll("-?\\d+(\\.\\d+)?", "N").replaceAll("(PASS|FAIL): Throughput (is|too low:)", "T")
                    .replaceAll("(PASS: Slowest request took|Slowest request took too long:)", "S")
                    .replaceAll("(PASS: Stddev is|Stddev too high:)", "D").replaceAll("^(PASS|FAIL)$", "V"));
        }
        return l;
    }

    private static void assertVerdict(List<String> lines, int code) {
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("(PASS: Throughput is|FAIL: Throughput too low:) \\d+ writes/s");
        assertThat(lines.get(1)).matches("(PASS: Slowest request took|Slowest request took too long:) \\d+\\.\\d{6}s");
        assertThat(lines.get(2)).matches("(PASS: Stddev is|Stddev too high:) (\\d+\\.\\d{6}|NaN)s");
        boolean pass = lines.subList(0, 3).stream().allMatch(l -> l.startsWith("PASS: "));
        assertThat(lines.get(3)).isEqualTo(pass ? "PASS" : "FAIL");
        assertThat(code).isEqualTo(pass ? 0 : 1);
    }

    private static void assertPrefixEmpty(String ep, String prefix) {
        try (EtcdClient c = EtcdClient.builder().endpoints(ep).build()) {
            assertThat(c.kv().get(prefix, Options.prefix(), Options.countOnly()).join().count()).isZero();
        }
    }

    private static List<String> flagLines(String err) {
        return err.lines().filter(l -> l.startsWith("ETCDCTL_")).toList();
    }

    private static List<String> lines(String out) {
        return List.of(out.split("\n", -1)).subList(0, Math.max(0, out.split("\n", -1).length - 1));
    }
}
