package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AwaitableCounterTest {

    @Test
    void aWaiterWakesWhenTheTargetIsReached() throws InterruptedException {
        AwaitableCounter c = new AwaitableCounter();
        Thread counter = new Thread(() -> {
            for (int i = 0; i < 100_000; i++) {
                c.increment();
            }
        });
        counter.start();
        assertThat(c.await(100_000, 30, TimeUnit.SECONDS)).isTrue();
        counter.join();
        assertThat(c.get()).isEqualTo(100_000);
    }

    @Test
    void aWaiterGivesUpAtTheTimeout() throws InterruptedException {
        AwaitableCounter c = new AwaitableCounter();
        c.increment();
        long t0 = System.nanoTime();
        assertThat(c.await(2, 50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(45L);
    }

    @Test
    void aReachedTargetReturnsAtOnce() throws InterruptedException {
        AwaitableCounter c = new AwaitableCounter();
        c.increment();
        assertThat(c.await(1, 1, TimeUnit.MILLISECONDS)).isTrue();
    }
}
