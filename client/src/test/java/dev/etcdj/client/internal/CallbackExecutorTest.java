package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackExecutorTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final CallbackExecutor executor = new CallbackExecutor(2, TimeUnit.SECONDS.toNanos(60),
            TimeUnit.MILLISECONDS.toNanos(20), ClientThreads.daemonThreads("test-callback"), timer);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        timer.shutdownNow();
    }

    @Test
    void manyShortTasksRunOnFewThreads() throws InterruptedException {
        int tasks = 20_000;
        CountDownLatch done = new CountDownLatch(tasks);
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < tasks; i++) {
            executor.execute(() -> {
                used.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        // A cached pool would start a thread for nearly every task offered while all were busy.
        assertThat(used.size()).isBetween(1, 2 + 2);
    }

    @Test
    void blockedCallbacksDoNotStallTheOthers() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(5);
        startWaiting(5, blocked, release, () -> Thread.currentThread().interrupt());
        // Every blocker gets a thread of its own, so all five start although the core is two.
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch ran = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            executor.execute(ran::countDown);
        }
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
    }

    @Test
    void aCallbackWaitingForAnotherCallbackFinishes() throws InterruptedException {
        // A callback that blocks on a result only another callback can produce: the deadlock a
        // fixed-size pool has once every thread waits like this.
        int waiters = 6;
        CountDownLatch result = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(waiters);
        CountDownLatch allWaiting = new CountDownLatch(waiters);
        for (int i = 0; i < waiters; i++) {
            executor.execute(() -> {
                allWaiting.countDown();
                try {
                    if (result.await(10, TimeUnit.SECONDS)) {
                        finished.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(allWaiting.await(10, TimeUnit.SECONDS)).isTrue();
        executor.execute(result::countDown);
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shutdownRejectsNewTasksAndEndsTheThreads() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        executor.execute(ran::countDown);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void theNeverRefusingViewStillRunsTasksAfterShutdownOnACallbackThread() throws Exception {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        Executor late = executor.neverRefusing();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            late.execute(() -> ranOn.complete(Thread.currentThread()));
            assertThat(ranOn.get(5, TimeUnit.SECONDS).getName()).startsWith("test-callback");
        }
        // The thread started for them ends once they ran; the client's own hand-overs still get refused.
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void shutdownNowInterruptsTheRunningTaskAndStillRunsTheQueuedOnes() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(10);
        startWaiting(2, started, new CountDownLatch(1), interrupted::countDown);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 10; i++) {
            executor.execute(ran::countDown);
        }
        assertThat(executor.shutdownNow()).isEmpty();
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void gracefulShutdownRunsWhatWasQueued() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(10);
        executor.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 10; i++) {
            executor.execute(ran::countDown);
        }
        executor.shutdown();
        gate.countDown();
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Starts {@code n} callbacks that count {@code started} down and wait for {@code release}; an interrupted one runs {@code onInterrupt}. */
    private void startWaiting(int n, CountDownLatch started, CountDownLatch release, Runnable onInterrupt) {
        for (int i = 0; i < n; i++) {
            executor.execute(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    onInterrupt.run();
                }
            });
        }
    }
}
