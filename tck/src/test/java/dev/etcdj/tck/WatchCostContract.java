package dev.etcdj.tck;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.Op;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What watches cost the client: heap per idle watch, and the events per second one client takes
 * in. Printed as {@code MEASURE} lines; the bounds are loose (an order of magnitude off what an
 * idle machine does), so a loaded machine passes and a regression does not. The target must run
 * outside the test JVM, or its heap would count as the client's.
 */
public abstract class WatchCostContract extends ContractSupport {

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100); // lets the collector finish; the minimum of several samples is the live set
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    @Test
    void anIdleWatchCostsUnderTwoKilobytesOfHeap() throws Exception {
        int n = 10_000;
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        EventListener events = new EventListener() {
            @Override
            public void streamOpened(String stream, String endpoint) {
                if (stream.equals("watch")) {
                    opened.incrementAndGet();
                }
            }
        };
        try (EtcdClient c = EtcdClient.builder().endpoints(endpoints()).eventListener(events).build()) {
            WatchListener shared = r -> { };
            // Warm up the stream and the classes, so the delta is the watches alone.
            Watcher warm = c.watch().blocking().watch(key("warm"), shared);
            long before = usedHeap();
            List<Watcher> watchers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                watchers.add(c.watch().watch(key("idle/" + i), shared));
            }
            // Returns once the server confirmed it; creates go in order on each stream, and the streams
            // are several, so wait for every watch's confirmation too.
            // (A real etcd creates them one at a time: on a loaded machine 10,000 take a while.)
            Watcher last = c.watch().withTimeout(Duration.ofSeconds(180)).blocking().watch(key("idle/last"), shared);
            for (Watcher w : watchers) {
                w.created().get(180, TimeUnit.SECONDS);
            }
            long after = usedHeap();
            long perWatcher = (after - before) / n;
            System.out.printf("MEASURE heap per idle watcher: %d bytes (%d watchers, delta %d bytes, %s)%n",
                    perWatcher, n, after - before, target().name());
            assertThat(perWatcher).as("bytes per idle watcher").isLessThan(2_000);
            assertThat(opened.get()).as("watch streams opened (the client caps them at 8)").isBetween(1, 8);
            warm.close();
            last.close();
            watchers.forEach(Watcher::close);
        }
    }

    @Test
    void oneClientTakesInThousandsOfEventsPerSecond() throws Exception {
        int txns = 400;
        int perTxn = 100;
        int total = txns * perTxn;
        String value = "v".repeat(100);
        long from = currentRevision() + 1;
        for (int i = 0; i < txns; i++) {
            putMany(key("rate/" + i + "/"), perTxn, value);
        }
        try (EtcdClient c = newClient(endpoints())) {
            // Catch-up: the server sends history as fast as the client reads it.
            AtomicLong got = new AtomicLong();
            CompletableFuture<Long> done = new CompletableFuture<>();
            long t0 = System.nanoTime();
            Watcher w = c.watch().watch(key("rate/"), r -> {
                if (got.addAndGet(r.events().size()) >= total) {
                    done.complete(System.nanoTime());
                }
            }, prefix(), revision(from));
            double catchUp = total / ((done.get(120, TimeUnit.SECONDS) - t0) / 1e9);
            w.close();
            assertThat(got.get()).isEqualTo(total);
            System.out.printf("MEASURE catch-up: %d events (100 B values) in %.0f events/s (%s)%n",
                    total, catchUp, target().name());

            // Live: events as they are written, a txn of 100 puts at a time.
            int liveTxns = 200;
            AtomicLong live = new AtomicLong();
            CompletableFuture<Long> liveDone = new CompletableFuture<>();
            c.watch().blocking().watch(key("live/"), r -> {
                if (live.addAndGet(r.events().size()) >= (long) liveTxns * perTxn) {
                    liveDone.complete(System.nanoTime());
                }
            }, prefix(), revision(currentRevision() + 1));
            long t1 = System.nanoTime();
            for (int i = 0; i < liveTxns; i++) {
                putMany(key("live/" + i + "/"), perTxn, value);
            }
            double liveRate = liveTxns * perTxn / ((liveDone.get(60, TimeUnit.SECONDS) - t1) / 1e9);
            System.out.printf("MEASURE live (writer-bound): %d events in %.0f events/s (%s)%n",
                    liveTxns * perTxn, liveRate, target().name());
            assertThat(catchUp).isGreaterThan(1_000);
            assertThat(liveRate).isGreaterThan(100);
        }
    }

    private void putMany(String pfx, int n, String value) {
        Op[] puts = new Op[n];
        for (int i = 0; i < n; i++) {
            puts[i] = Op.put(pfx + i, value);
        }
        kv.commit(Op.txn().then(puts));
    }
}
