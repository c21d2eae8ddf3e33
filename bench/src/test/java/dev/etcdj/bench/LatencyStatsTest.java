package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void summaryIsInMillisecondsWithPercentiles() {
        LatencyStats stats = new LatencyStats();
        for (int i = 1; i <= 1000; i++) {
            stats.record(i * 1_000L); // 1 us .. 1 ms
        }
        LatencySummary s = stats.summary();
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50()).isCloseTo(0.5, within(0.001));
        assertThat(s.p99()).isCloseTo(0.99, within(0.001));
        assertThat(s.max()).isCloseTo(1.0, within(0.001));
        assertThat(s.mean()).isCloseTo(0.5005, within(0.001));
    }

    @Test
    void intervalsAddUpToTheTotal() {
        LatencyStats stats = new LatencyStats();
        stats.record(1_000_000);
        stats.record(2_000_000);
        assertThat(stats.drainInterval().getTotalCount()).isEqualTo(2);
        stats.record(3_000_000);
        Histogram second = stats.drainInterval();
        assertThat(second.getTotalCount()).isEqualTo(1);
        assertThat(second.getMaxValue()).isCloseTo(3_000_000L, within(3_000L));
        assertThat(stats.drainInterval().getTotalCount()).isZero();
        assertThat(stats.total().getTotalCount()).isEqualTo(3);
    }

    @Test
    void recordsFromManyThreadsWithoutLoss() throws InterruptedException {
        LatencyStats stats = new LatencyStats();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    stats.record(1_000 + i);
                    if (i % 1000 == 0) {
                        stats.drainInterval();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(stats.total().getTotalCount()).isEqualTo(40_000);
    }

    @Test
    void mergingHistogramsKeepsPercentilesOfTheWhole() {
        Histogram fast = new Histogram(3);
        Histogram slow = new Histogram(3);
        for (int i = 0; i < 900; i++) {
            fast.recordValue(1_000_000); // 1 ms
        }
        for (int i = 0; i < 100; i++) {
            slow.recordValue(100_000_000); // 100 ms
        }
        LatencySummary s = LatencySummary.of(LatencyStats.merge(List.of(fast, slow)));
        assertThat(s.count()).isEqualTo(1000);
        assertThat(s.p50()).isCloseTo(1.0, within(0.01));
        assertThat(s.p90()).isCloseTo(1.0, within(0.01));
        assertThat(s.p99()).isCloseTo(100.0, within(0.1));
        assertThat(s.mean()).isCloseTo(10.9, within(0.05));
    }

    @Test
    void anEmptyHistogramSummarizesToZeros() {
        assertThat(LatencySummary.of(new Histogram(3))).isEqualTo(LatencySummary.EMPTY);
    }
}
