package dev.etcdj.cli.check;

import dev.etcdj.bench.RateLimiter;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The write load of etcdctl's check commands: puts of {@code prefix + key} where the key is a
 * fixed-size buffer that starts with the zig-zag varint of a random non-negative long (the rest
 * zero bytes), with a value of zero bytes. Each client has at most one put in flight, as each of
 * etcdctl's client goroutines makes one synchronous call at a time; the next put goes to whichever
 * client is free.
 */
public final class PutLoad {

    private final List<EtcdClient> clients;
    private final Bytes prefix;
    private final int keySize;
    private final Bytes value;
    private final Function<Throwable, String> errorText;

    /** {@code errorText}: the text a failure is counted under, as etcdctl prints it. */
    public PutLoad(List<EtcdClient> clients, String prefix, int keySize, int valueSize,
                   Function<Throwable, String> errorText) {
        this.clients = List.copyOf(clients);
        this.prefix = Bytes.of(prefix);
        this.keySize = keySize;
        this.value = Bytes.wrap(new byte[valueSize]);
        this.errorText = errorText;
    }

    /**
     * Puts at {@code ratePerSecond} (one request per slot, no burst, like Go's {@code rate.Limiter}
     * with a burst of 1) until the next slot would fall after {@code durationNanos}, or until
     * {@code stop} is done.
     */
    public LoadReport.Stats paced(double ratePerSecond, long durationNanos, CompletableFuture<?> stop)
            throws InterruptedException {
        RateLimiter limiter = new RateLimiter(ratePerSecond);
        long deadline = System.nanoTime() + durationNanos;
        return run(() -> {
            long wait = limiter.reserve();
            if (System.nanoTime() + wait > deadline || stop.isDone()) {
                return false;
            }
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            return true;
        }, null);
    }

    /** Puts {@code count} keys as fast as the clients go; {@code done} hears each finished put. */
    public LoadReport.Stats counted(long count, Runnable done, CompletableFuture<?> stop) throws InterruptedException {
        long[] issued = {0};
        return run(() -> issued[0]++ < count && !stop.isDone(), done);
    }

    private interface Gate {
        boolean next() throws InterruptedException;
    }

    private LoadReport.Stats run(Gate gate, Runnable done) throws InterruptedException {
        LoadReport report = new LoadReport();
        BlockingQueue<EtcdClient> idle = new ArrayBlockingQueue<>(clients.size(), false, clients);
        byte[] key = new byte[keySize];
        while (gate.next()) {
            EtcdClient c = idle.take();
            randomKey(key);
            Bytes k = prefix.concat(Bytes.of(key));
            long start = System.nanoTime();
            CompletableFuture<?> put;
            try {
                put = c.kv().put(k, value);
            } catch (RuntimeException e) {
                put = CompletableFuture.failedFuture(e);
            }
            put.whenComplete((r, e) -> {
                report.add(start, System.nanoTime(), e == null ? null : errorText.apply(e));
                if (done != null) {
                    done.run();
                }
                idle.add(c);
            });
        }
        // Every client back in the queue: every put has ended.
        for (int i = 0; i < clients.size(); i++) {
            idle.take();
        }
        return report.finish();
    }

    /** Fills {@code key}: the zig-zag varint of a random non-negative long, then zero bytes. */
    static void randomKey(byte[] key) {
        java.util.Arrays.fill(key, (byte) 0);
        long n = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        long zigzag = n << 1;
        int i = 0;
        while ((zigzag & ~0x7FL) != 0 && i < key.length - 1) {
            key[i++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        if (i < key.length) {
            key[i] = (byte) zigzag;
        }
    }
}
