package dev.etcdj.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final ExecutorService completer = Executors.newFixedThreadPool(2);

    @AfterEach
    void shutdown() {
        scheduler.shutdownNow();
        completer.shutdownNow();
    }

    private ClosedLoop loop(int workers, long total, long durationNanos, RateLimiter limiter) {
        return new ClosedLoop("test", workers, total, durationNanos, limiter, scheduler, null);
    }

    @Test
    void sendsExactlyTheTotalAcrossWorkers() throws InterruptedException {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        ClosedLoop.Outcome o = loop(8, 1000, TimeUnit.SECONDS.toNanos(30), null).run((w, n, r) ->
                CompletableFuture.supplyAsync(() -> {
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    inFlight.decrementAndGet();
                    return n;
                }, completer));
        assertThat(o.ok()).isEqualTo(1000);
        assertThat(o.errors()).isZero();
        assertThat(o.latency().getTotalCount()).isEqualTo(1000);
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(8);
    }

    @Test
    void waitingWorkersAreThreadsOfTheirOwnThatWaitOnEveryCall() throws InterruptedException {
        java.util.Set<String> senders = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        ClosedLoop.Outcome o = loop(3, 600, TimeUnit.SECONDS.toNanos(30), null).waiting(true).run((w, n, r) -> {
            senders.add(Thread.currentThread().getName() + "/" + w);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return CompletableFuture.supplyAsync(() -> {
                inFlight.decrementAndGet();
                return n;
            }, completer);
        });
        assertThat(o.ok()).isEqualTo(600);
        assertThat(o.latency().getTotalCount()).isEqualTo(600);
        // Each worker sent every request from its own thread, never from the completer's.
        assertThat(senders).hasSize(3).allMatch(s -> s.startsWith("test worker " + s.substring(s.indexOf('/') + 1) + "/"));
        assertThat(maxInFlight.get()).isLessThanOrEqualTo(3);
        ClosedLoop.Outcome failing = loop(2, 10, TimeUnit.SECONDS.toNanos(30), null).waiting(true).run((w, n, r) -> n % 2 == 0
                ? CompletableFuture.failedFuture(new IllegalStateException("boom"))
                : CompletableFuture.supplyAsync(() -> n, completer));
        assertThat(failing.ok()).isEqualTo(5);
        assertThat(failing.errorKinds()).containsEntry("IllegalStateException: boom", 5L);
    }

    @Test
    void countsErrorsByKind() throws InterruptedException {
        ClosedLoop.Outcome o = loop(2, 100, TimeUnit.SECONDS.toNanos(30), null).run((w, n, r) -> n % 4 == 0
                ? CompletableFuture.failedFuture(new IllegalStateException("boom"))
                : CompletableFuture.supplyAsync(() -> n, completer));
        assertThat(o.ok()).isEqualTo(75);
        assertThat(o.errors()).isEqualTo(25);
        assertThat(o.errorKinds()).containsEntry("IllegalStateException: boom", 25L);
    }

    @Test
    void aRequestThatThrowsCountsAsAnError() throws InterruptedException {
        ClosedLoop.Outcome o = loop(1, 10, TimeUnit.SECONDS.toNanos(30), null).run((w, n, r) -> {
            throw new IllegalArgumentException("bad");
        });
        assertThat(o.errors()).isEqualTo(10);
        assertThat(o.ok()).isZero();
    }

    @Test
    void synchronousCompletionsDoNotGrowTheStack() throws InterruptedException {
        ClosedLoop.Outcome o = loop(1, 200_000, TimeUnit.SECONDS.toNanos(30), null)
                .run((w, n, r) -> CompletableFuture.completedFuture(n));
        assertThat(o.ok()).isEqualTo(200_000);
    }

    @Test
    void stopsAtTheDeadlineWithoutATotal() throws InterruptedException {
        long t0 = System.nanoTime();
        ClosedLoop.Outcome o = loop(2, 0, TimeUnit.MILLISECONDS.toNanos(200), null)
                .run((w, n, r) -> CompletableFuture.supplyAsync(() -> n, completer));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(o.ok()).isPositive();
        assertThat(elapsedMs).isBetween(150L, 5_000L);
    }

    @Test
    void theRateLimitPacesRequests() throws InterruptedException {
        // 50 requests at 500/s: the last starts 98 ms after the first.
        ClosedLoop.Outcome o = loop(4, 50, TimeUnit.SECONDS.toNanos(30), new RateLimiter(500))
                .run((w, n, r) -> CompletableFuture.completedFuture(n));
        assertThat(o.ok()).isEqualTo(50);
        assertThat(TimeUnit.NANOSECONDS.toMillis(o.elapsedNanos())).isGreaterThanOrEqualTo(90L);
        assertThat(o.throughput()).isLessThan(600);
    }
}
