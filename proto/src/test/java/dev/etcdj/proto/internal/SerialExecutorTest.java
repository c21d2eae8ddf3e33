package dev.etcdj.proto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void runsTasksOneAtATimeInSubmissionOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool, "test task");
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                serial.execute(() -> {
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    seen.add(n);
                    inside.decrementAndGet();
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(maxInside.get()).isEqualTo(1);
            assertThat(seen).hasSize(2_000).isSorted();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingTaskDoesNotStopTheOnesAfterIt() {
        List<String> seen = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(Runnable::run, "test task");
        serial.execute(() -> seen.add("a"));
        serial.execute(() -> {
            throw new IllegalStateException("boom");
        });
        serial.execute(() -> seen.add("c"));
        assertThat(seen).containsExactly("a", "c");
    }

    @Test
    void runsOnTheCallerWhenTheSharedExecutorRefuses() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdown();
        List<String> seen = new ArrayList<>();
        new SerialExecutor(pool, "test task").execute(() -> seen.add("terminal"));
        assertThat(seen).containsExactly("terminal");
    }
}
