package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of a call's end to the thread blocked on it: that thread runs it when it waits,
 * the pool does otherwise, and a task is never lost or run twice, however waiting ends.
 */
class HandOverFutureTest {

    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-pool"));
    private final ExecutorService others = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        others.shutdownNow();
    }

    private static final class Call extends HandOverFuture<String> {}

    /** A thread that runs {@code body}, a wait on a call, and what it returned. */
    private record Waiting<V>(Thread thread, Future<V> result) {}

    /** Runs {@code body} on a thread of its own and returns once that thread is parked in its wait. */
    private <V> Waiting<V> parkedIn(Callable<V> body) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        Future<V> result = others.submit(() -> {
            thread.complete(Thread.currentThread());
            return body.call();
        });
        Thread t = thread.get(10, TimeUnit.SECONDS);
        awaitParked(t);
        return new Waiting<>(t, result);
    }

    /** What {@code wait} threw (a failed call's own error, not its ExecutionException), or null. */
    private static Throwable thrownBy(Callable<?> wait) {
        try {
            wait.call();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** Waits until {@code t} is parked (in the waiter's wait). */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("thread never parked").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aThreadBlockedInJoinRunsTheHandedTaskAndTheStagesChainedBefore() throws Exception {
        Call call = new Call();
        CompletableFuture<String> stage = call.thenApply(v -> Thread.currentThread().getName());
        Waiting<String> joining = parkedIn(call::join);
        Thread w = joining.thread();
        List<String> ranOn = new CopyOnWriteArrayList<>();
        call.handOver(() -> {
            ranOn.add(Thread.currentThread().getName());
            call.complete("v");
        }, task -> {
            throw new AssertionError("the pool must not be used while a thread waits");
        });
        assertThat(joining.result().get(10, TimeUnit.SECONDS)).isEqualTo("v");
        assertThat(ranOn).containsExactly(w.getName());
        assertThat(stage.getNow("not run")).isEqualTo(w.getName());
    }

    @Test
    void withoutAWaiterThePoolRunsIt() throws Exception {
        Call call = new Call();
        call.handOver(() -> call.complete(Thread.currentThread().getName()), pool);
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("test-pool");
    }

    @Test
    void aWaiterRunsEachTaskOfARetryUntilTheCallIsDone() throws Exception {
        Call call = new Call();
        Waiting<String> getting = parkedIn(call::get);
        Thread w = getting.thread();
        List<String> ranOn = new CopyOnWriteArrayList<>();
        // The first attempt's end starts a second attempt, whose end comes from another thread later.
        call.handOver(() -> {
            ranOn.add(Thread.currentThread().getName());
            others.execute(() -> {
                awaitParked(w);
                call.handOver(() -> {
                    ranOn.add(Thread.currentThread().getName());
                    call.complete("second");
                }, pool);
            });
        }, pool);
        assertThat(getting.result().get(10, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(ranOn).containsExactly(w.getName(), w.getName());
    }

    @Test
    void aWaiterWhoseTimeRunsOutLeavesLaterTasksToThePool() throws Exception {
        Call call = new Call();
        assertThatThrownBy(() -> call.get(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        call.handOver(() -> call.complete(Thread.currentThread().getName()), pool);
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("test-pool");
    }

    @Test
    void anInterruptedWaiterThrowsAndLaterTasksGoToThePool() throws Exception {
        Call call = new Call();
        Waiting<Throwable> getting = parkedIn(() -> thrownBy(call::get));
        getting.thread().interrupt();
        assertThat(getting.result().get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        call.handOver(() -> call.complete(Thread.currentThread().getName()), pool);
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("test-pool");
    }

    @Test
    void anInterruptedJoinKeepsWaitingAsJoinDoesAndKeepsTheFlag() throws Exception {
        Call call = new Call();
        Waiting<String> joining = parkedIn(() -> call.join() + (Thread.currentThread().isInterrupted() ? " interrupted" : ""));
        joining.thread().interrupt();
        awaitParked(joining.thread()); // waiting on in CompletableFuture's own join
        call.handOver(() -> call.complete("v"), pool);
        assertThat(joining.result().get(10, TimeUnit.SECONDS)).isEqualTo("v interrupted");
    }

    @Test
    void aCompletionFromElsewhereWakesTheWaiter() throws Exception {
        Call call = new Call();
        Waiting<Throwable> joining = parkedIn(() -> thrownBy(call::join));
        call.cancel(true);
        assertThat(joining.result().get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void onlyOneWaiterTakesPartAndEveryWaiterGetsTheValue() throws Exception {
        Call call = new Call();
        List<Waiting<String>> joins = List.of(parkedIn(call::join), parkedIn(call::join), parkedIn(call::get));
        AtomicInteger runs = new AtomicInteger();
        call.handOver(() -> {
            runs.incrementAndGet();
            call.complete("v");
        }, pool);
        for (Waiting<String> j : joins) {
            assertThat(j.result().get(10, TimeUnit.SECONDS)).isEqualTo("v");
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void aTaskThatThrowsEndsTheCallWithItInsteadOfEscapingTheWait() throws Exception {
        Call call = new Call();
        Waiting<Throwable> getting = parkedIn(() -> thrownBy(call::get));
        call.handOver(() -> {
            throw new IllegalStateException("bug");
        }, pool);
        assertThat(getting.result().get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class).hasMessage("bug");
    }

    /**
     * Races every way a wait can end (answer first, time out first, both at once) against the
     * hand-over: each task runs exactly once, on the waiter or the pool, and the call always ends.
     */
    @Test
    void underRacesEveryTaskRunsExactlyOnce() throws Exception {
        ExecutorService realPool = Executors.newFixedThreadPool(2, r -> new Thread(r, "pool-of-test"));
        try {
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger onPool = new AtomicInteger();
            int n = 5_000;
            for (int i = 0; i < n; i++) {
                Call call = new Call();
                long waitNanos = i % 3 == 0 ? 0 : (i % 3) * 20_000L;
                Future<?> handing = others.submit(() -> {
                    LockSupport.parkNanos(15_000);
                    call.handOver(() -> {
                        runs.incrementAndGet();
                        if (Thread.currentThread().getName().startsWith("pool")) {
                            onPool.incrementAndGet();
                        }
                        call.complete("v");
                    }, realPool);
                });
                try {
                    assertThat(call.get(waitNanos, TimeUnit.NANOSECONDS)).isEqualTo("v");
                } catch (TimeoutException timedOut) {
                    assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("v");
                }
                handing.get(10, TimeUnit.SECONDS);
            }
            assertThat(runs).hasValue(n);
            assertThat(onPool.get()).as("some waits ended first").isPositive().isLessThan(n);
        } finally {
            realPool.shutdownNow();
        }
    }
}
