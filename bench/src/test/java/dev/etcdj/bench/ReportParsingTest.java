package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportParsingTest {

    /** etcdctl check perf's output: a pass, and a fail with a line of each form. */
    static Stream<Arguments> checkPerfOutputs() {
        return Stream.of(
                Arguments.of("s", " 60 / 60 Booooooooo! 100.00% 1m0s\nPASS: Throughput is 151 writes/s\n"
                        + "PASS: Slowest request took 0.087315s\nPASS: Stddev is 0.004412s\nPASS\n",
                        151L, 0.087315, 0.004412, true),
                Arguments.of("l", "FAIL: Throughput too low: 6491 writes/s\nSlowest request took too long: 0.786915s\n"
                        + "PASS: Stddev is 0.063215s\nFAIL\n",
                        6491L, 0.786915, 0.063215, false));
    }

    @ParameterizedTest
    @MethodSource("checkPerfOutputs")
    void checkPerfOutput(String load, String out, long writes, double slowest, double stddev, boolean pass) {
        CheckPerf.Report r = CheckPerf.parse(load, out);
        assertThat(r.writesPerSecond()).isEqualTo(writes);
        assertThat(r.slowestSeconds()).isCloseTo(slowest, within(1e-9));
        assertThat(r.stddevSeconds()).isCloseTo(stddev, within(1e-9));
        assertThat(r.pass()).isEqualTo(pass);
    }

    @Test
    void checkPerfEquivalentMatchesItsLoad() {
        LoadConfig c = CheckPerf.equivalent("s", List.of("http://127.0.0.1:1")).build();
        assertThat(c.rate()).isEqualTo(150);
        assertThat(c.clients()).isEqualTo(50);
        assertThat(c.conns()).isEqualTo(50);
        assertThat(c.keys().keyLength()).isEqualTo(256);
        assertThat(c.valueSize()).isEqualTo(1024);
        assertThat(c.duration().toSeconds()).isEqualTo(60);
    }

    @Test
    void goReferenceLine() {
        String line = "{\"workload\":\"put\",\"ops\":1500,\"errors\":2,\"seconds\":0.5,\"throughput\":2999.5,"
                + "\"mean_ms\":0.33,\"stddev_ms\":0.54,\"p50_ms\":0.264,\"p90_ms\":0.36,\"p99_ms\":1.822,"
                + "\"p999_ms\":7.9,\"max_ms\":14.4,\"first_error\":\"context deadline exceeded\"}";
        LoadConfig cfg = Defaults.of(Workload.PUT).build();
        Result r = GoReference.parse(line, cfg, "etcd");
        assertThat(r.driver()).isEqualTo("go-clientv3");
        assertThat(r.ops()).isEqualTo(1500);
        assertThat(r.throughput()).isEqualTo(2999.5);
        assertThat(r.latency().p99()).isEqualTo(1.822);
        assertThat(r.errorKinds()).isEqualTo(Map.of("context deadline exceeded", 2L));
    }

    @Test
    void ratiosUseMediansOfTheRounds() {
        List<Result> rs = List.of(result("etcdj", 300, 1.0), result("jetcd", 100, 2.0), result("etcdj", 200, 1.0),
                result("jetcd", 200, 4.0), result("etcdj", 250, 3.0));
        List<Comparison.Ratio> ratios = Comparison.ratios(rs, "etcdj", "jetcd");
        Comparison.Ratio ops = ratios.stream().filter(r -> r.metric().equals("ops/s")).findFirst().orElseThrow();
        assertThat(ops.ours()).isEqualTo(250);
        assertThat(ops.theirs()).isEqualTo(150);
        assertThat(ops.ratio()).isCloseTo(1.667, within(0.001));
        assertThat(ops.better()).isTrue();
        Comparison.Ratio p50 = ratios.stream().filter(r -> r.metric().equals("p50 ms")).findFirst().orElseThrow();
        assertThat(p50.ours()).isEqualTo(1.0);
        assertThat(p50.theirs()).isEqualTo(3.0);
        assertThat(p50.better()).isTrue();
    }

    private static Result result(String driver, double throughput, double p50) {
        LatencySummary l = new LatencySummary(100, p50, 0, p50, p50, p50 * 2, p50 * 3, p50 * 4);
        return new Result("put", driver, "etcd", "", 100, 0, Map.of(), 1, throughput, l, Map.of(), Map.of());
    }

    @Test
    void jsonOfAResult() {
        Result r = new Result("watch", "etcdj", "etcd \"3.4\"", "p", 10, 1, Map.of("Boom: x", 1L), 0.5, 20,
                LatencySummary.EMPTY, Map.of("event", LatencySummary.EMPTY), Map.of("events_per_s", 123.456, "events", 7L));
        String json = Result.toJson(List.of(r));
        assertThat(json).startsWith("[{\"workload\":\"watch\"").contains("\"target\":\"etcd \\\"3.4\\\"\"")
                .contains("\"events_per_s\":123.456").contains("\"events\":7").contains("\"error_kinds\":{\"Boom: x\":1}")
                .contains("\"latencies\":{\"event\":{\"count\":0");
    }
}
