package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Options;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.EtcdProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Measures what watches cost: heap per idle watcher, and events per second one client receives. */
class WatchMeasureIT {

    EtcdProcess etcd;
    Kv kv;
    TestTransport transport;
    WatchClientImpl watch;

    @BeforeEach
    void start() {
        etcd = EtcdProcess.builder().name("watch-measure").build();
        etcd.start();
        kv = new Kv(etcd.endpoint());
        transport = new TestTransport(etcd.endpoint());
        watch = new WatchClientImpl(transport);
    }

    @AfterEach
    void stop() {
        watch.close();
        transport.close();
        kv.close();
        etcd.close();
    }

    static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);      // let the collector finish; the minimum of several samples is the live set
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    @Test
    void heapPerIdleWatcher() throws Exception {
        int n = 10_000;
        WatchListener shared = r -> { };
        // warm up the stream and the classes, so the delta is the watchers alone
        Watcher warm = watch.watch("warm", shared);
        awaitCreated(1);
        long before = usedHeap();
        List<Watcher> watchers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            watchers.add(watch.watch("idle/" + i, shared));
        }
        awaitCreated(n + 1);
        long after = usedHeap();
        long perWatcher = (after - before) / n;
        System.out.printf("MEASURE heap per idle watcher: %d bytes (%d watchers, delta %d bytes)%n",
                perWatcher, n, after - before);
        assertThat(perWatcher).as("bytes per idle watcher").isLessThan(2_000);
        assertThat(watch.streamsOpened()).isEqualTo(1);
        warm.close();
        watchers.forEach(Watcher::close);
    }

    private void awaitCreated(int n) throws InterruptedException {
        dev.etcdj.testing.Await.until(java.time.Duration.ofSeconds(120), "all watches created", () -> watch.createdCount() >= n);
    }

    @Test
    void eventsPerSecondOneClientReceives() throws Exception {
        int txns = 400, perTxn = 100, total = txns * perTxn;
        long from = kv.revision() + 1;
        String value = "v".repeat(100);
        for (int i = 0; i < txns; i++) {
            kv.putMany("rate/" + i + "/", perTxn, value);
        }
        // catch-up: etcd sends history as fast as the client reads it
        double catchUp = receive(total, from);
        System.out.printf("MEASURE catch-up: %d events (100 B values) in %.0f events/s%n", total, catchUp);

        // live: events as they are written, a txn of 100 puts at a time
        AtomicLong got = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        int liveTxns = 200;
        watch.watch("live/", r -> {
            if (got.addAndGet(r.events().size()) >= (long) liveTxns * perTxn) {
                done.complete(System.nanoTime());
            }
        }, Options.prefix(), Options.revision(kv.revision() + 1));
        long t0 = System.nanoTime();
        for (int i = 0; i < liveTxns; i++) {
            kv.putMany("live/" + i + "/", perTxn, value);
        }
        double live = liveTxns * perTxn / ((done.get(60, TimeUnit.SECONDS) - t0) / 1e9);
        System.out.printf("MEASURE live (writer-bound): %d events in %.0f events/s%n", liveTxns * perTxn, live);
        assertThat(catchUp).isGreaterThan(1_000);
        assertThat(live).isGreaterThan(100);
    }

    private double receive(int total, long from) throws Exception {
        AtomicLong got = new AtomicLong();
        CompletableFuture<Long> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Watcher w = watch.watch("rate/", r -> {
            if (got.addAndGet(r.events().size()) >= total) {
                done.complete(System.nanoTime());
            }
        }, Options.prefix(), Options.revision(from));
        long t1 = done.get(120, TimeUnit.SECONDS);
        w.close();
        assertThat(got.get()).isEqualTo(total);
        return total / ((t1 - t0) / 1e9);
    }
}
