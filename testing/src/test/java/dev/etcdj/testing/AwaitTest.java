package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger calls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), "third call", () -> calls.incrementAndGet() >= 3);
        assertThat(calls).hasValue(3);
    }

    @Test
    void untilFailsNamingWhatDidNotHappen() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(200), "pigs fly", () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("not within PT0.2S: pigs fly");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    @Test
    void pollReportsTimeoutAndChecksOnceMoreAtTheDeadline() {
        assertThat(Await.poll(Duration.ofMillis(50), () -> false)).isFalse();
        long deadline = System.nanoTime() + Duration.ofMillis(50).toNanos();
        // Turns true exactly when the deadline passes: the last look must see it.
        assertThat(Await.poll(Duration.ofMillis(50), () -> System.nanoTime() - deadline >= 0)).isTrue();
    }

    @Test
    void anInterruptEndsThePollAndStaysSet() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Await.poll(Duration.ofSeconds(5), () -> false))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
