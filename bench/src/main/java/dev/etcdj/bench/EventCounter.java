package dev.etcdj.bench;

import dev.etcdj.bench.driver.Driver;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts watch events, times them from the stamp in their value, and notices the sync key. Each
 * watcher has a sink of its own so a sync event counts once per watcher however often it is put.
 */
final class EventCounter {
    private final int prefixLength;
    final AwaitableCounter events = new AwaitableCounter();
    final AwaitableCounter syncs = new AwaitableCounter();
    final LongAdder errors = new LongAdder();
    final AtomicLong lastEventNanos = new AtomicLong();
    final LatencyStats latency = new LatencyStats();

    EventCounter(int prefixLength) {
        this.prefixLength = prefixLength;
    }

    Driver.WatchSink newSink() {
        AtomicBoolean synced = new AtomicBoolean();
        return new Driver.WatchSink() {
            @Override
            public void onPut(byte[] key, Driver.ValueReader value) {
                long now = System.nanoTime();
                if (isSync(key, prefixLength)) {
                    if (synced.compareAndSet(false, true)) {
                        syncs.increment();
                    }
                    return;
                }
                long stamp = LoadRunner.readStamp(value);
                if (stamp > 0) {
                    latency.record(now - stamp);
                }
                lastEventNanos.accumulateAndGet(now, Math::max);
                events.increment();
            }

            @Override
            public void onError(Throwable error) {
                errors.increment();
                syncs.wake();
            }
        };
    }

    /**
     * Waits until every watcher has seen the sync key: then all watches are live. A watch call
     * returns before the server has created the watch, so a put can overtake a creation; the
     * key is put again each second until every watcher has seen it once.
     */
    void awaitSync(Driver d, byte[] syncKey, int watchers) throws InterruptedException {
        for (long attempt = 0; attempt < LoadRunner.SYNC_TIMEOUT_S; attempt++) {
            putSync(d, syncKey);
            if (syncs.await(watchers, 1, TimeUnit.SECONDS)) {
                return;
            }
        }
        throw new IllegalStateException("only " + syncs.get() + " of " + watchers + " watchers started within "
                + LoadRunner.SYNC_TIMEOUT_S + " s (" + errors.sum() + " failed)");
    }

    /** The sync key is the watched prefix followed by '~'. */
    static boolean isSync(byte[] key, int prefixLength) {
        return key.length > prefixLength && key[prefixLength] == '~';
    }

    static void putSync(Driver d, byte[] syncKey) throws InterruptedException {
        try {
            d.put(syncKey, new byte[] {0}).get(LoadRunner.SYNC_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot put the sync key: " + e, e);
        }
    }
}
