package dev.etcdj.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pieces of the check commands whose output etcdctl fixes: the progress line, the stats, the metrics scan. */
class CheckPartsTest {

    private static final long S = 1_000_000_000L;

    @Test
    void progressLineIsPbsWithoutATerminal() {
        // Figures as etcdctl printed them in a captured run.
        assertThat(ProgressBar.line(10_000, 0, 0, 0, false, 0)).isEqualTo(" 0 / 10000    0.00%");
        assertThat(ProgressBar.line(60, 12, 12 * S + S / 2, 12 * S, false, 0)).isEqualTo(" 12 / 60   20.00% 00m47s");
        assertThat(ProgressBar.line(10_000, 10_000, 13 * S + 400_000_000L, 13 * S, true, 0))
                .isEqualTo(" 10000 / 10000  100.00% 13s");
        assertThat(ProgressBar.line(60, 60, 60 * S + 900_000_000L, 60 * S, true, 0)).isEqualTo(" 60 / 60  100.00% 1m0s");
        assertThat(ProgressBar.clock(3_725 * S)).isEqualTo("1h02m05s");
    }

    @Test
    void progressLineFillsATerminalWithTheBar() {
        String l = ProgressBar.line(10, 5, 5 * S, 5 * S, false, 40);
        assertThat(l).hasSize(40).startsWith(" 5 / 10 Bo").contains("m ").endsWith("!  50.00% 00m05s");
    }

    @Test
    void statsAreRateSlowestAndPopulationDeviation() throws InterruptedException {
        LoadReport r = new LoadReport();
        r.add(0, S / 10, null);
        r.add(0, 3 * S / 10, null);
        r.add(0, 0, "etcdserver: request timed out");
        r.add(0, 0, "etcdserver: request timed out");
        LoadReport.Stats s = r.finish();
        assertThat(s.slowest()).isEqualTo(0.3);
        assertThat(s.stddev()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.errors()).containsExactly(java.util.Map.entry("etcdserver: request timed out", 2L));
        assertThat(s.rps()).isPositive();
        assertThat(new LoadReport().finish().stddev()).isNaN();
    }

    @Test
    void keysStartWithAZigZagVarint() {
        byte[] k = new byte[256];
        PutLoad.randomKey(k);
        int len = 0;
        while ((k[len] & 0x80) != 0) {
            len++;
        }
        assertThat(len + 1).isBetween(1, 10);
        assertThat(k[0] & 1).as("zig-zag of a non-negative number is even").isZero();
        for (int i = len + 1; i < k.length; i++) {
            assertThat(k[i]).isZero();
        }
    }

    @Test
    void residentMemoryIsTheFirstLineWithTheName() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        String body = "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                + "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 5.2445184e+07\n";
        assertThat(MemoryMetrics.parse(body, out)).isEqualTo(5.2445184e+07);
        assertThat(MemoryMetrics.parse("other 1\n", out)).isZero();
        assertThat(MemoryMetrics.parse("process_resident_memory_bytes x\n", out)).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("could not find: process_resident_memory_bytes\n"
                + "parse error: strconv.ParseFloat: parsing \"x\": invalid syntax\n");
    }
}
