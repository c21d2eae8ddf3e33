package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.WatchSpec;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The confirmation deadline of a watch is a point in time, not only a timer: a confirmation that
 * arrives after it fails {@code created()} even when the timer thread has not run yet.
 */
class WatcherCreationTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        timer.shutdownNow();
    }

    private WatcherImpl watcher() {
        return new WatcherImpl(null, WatchSpec.of("k"), response -> { });
    }

    private void blockTimer() {
        timer.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aConfirmationAfterTheDeadlineIsLateWhileTheTimerIsBusy() {
        blockTimer();
        WatcherImpl w = watcher();
        w.timeCreation(timer, Duration.ofNanos(1));
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000) {
            Thread.onSpinWait();    // a microsecond: well past the 1 ns deadline
        }
        w.confirmed();
        assertThat(w.created()).isCompletedExceptionally();
        assertThatThrownBy(() -> w.created().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(EtcdTimeoutException.class);
    }

    @Test
    void aConfirmationWithinTheDeadlineCreatesTheWatch() {
        blockTimer();
        WatcherImpl w = watcher();
        w.timeCreation(timer, Duration.ofMinutes(1));
        w.confirmed();
        assertThat(w.created()).isCompleted().isNotCompletedExceptionally();
        w.confirmed();      // a reconnect confirms again: no change
        assertThat(w.created()).isNotCompletedExceptionally();
    }

    @Test
    void anUntimedWatchIsCreatedWhenConfirmed() {
        WatcherImpl w = watcher();
        w.confirmed();
        assertThat(w.created()).isCompleted().isNotCompletedExceptionally();
    }
}
