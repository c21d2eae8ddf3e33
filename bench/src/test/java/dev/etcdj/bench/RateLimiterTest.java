package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void spacesPermitsEvenlyAtTheRate() {
        RateLimiter limiter = new RateLimiter(100, now::get); // one permit each 10 ms
        assertThat(limiter.intervalNanos()).isEqualTo(10_000_000L);
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(10_000_000L);
        assertThat(limiter.reserve()).isEqualTo(20_000_000L);
    }

    @Test
    void waitsShrinkAsTimePasses() {
        RateLimiter limiter = new RateLimiter(100, now::get);
        limiter.reserve();
        limiter.reserve(); // slot at +10 ms
        now.addAndGet(15_000_000L);
        assertThat(limiter.reserve()).isEqualTo(5_000_000L); // slot at +20 ms
    }

    @Test
    void anIdleLimiterDoesNotSaveUpABurst() {
        RateLimiter limiter = new RateLimiter(10, now::get);
        limiter.reserve();
        now.addAndGet(5_000_000_000L); // 5 s idle = 50 unused permits
        assertThat(limiter.reserve()).isZero();
        assertThat(limiter.reserve()).isEqualTo(100_000_000L);
    }

    @Test
    void concurrentCallersGetDistinctSlots() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(1000, now::get);
        long[] waits = new long[400];
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int base = t * 100;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    waits[base + i] = limiter.reserve();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        // With the clock frozen, the 400 slots are exactly 0, 1 ms, ..., 399 ms.
        assertThat(java.util.Arrays.stream(waits).sorted().toArray())
                .containsExactly(java.util.stream.LongStream.range(0, 400).map(i -> i * 1_000_000L).toArray());
    }

    @Test
    void rejectsRatesThatAreNotPositive() {
        assertThatThrownBy(() -> new RateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
