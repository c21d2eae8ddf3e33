package dev.etcdj.tck;

import static org.awaitility.Awaitility.await;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Futures;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.PutResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady writer for failover tests: one thread puts {@code seq-000000}, {@code seq-000001}, ...
 * to one key, one put at a time (so the store must hold them in this order), pausing a few ms
 * between puts to keep the load bounded. Every attempt is recorded with its outcome, its timing,
 * and the member that answered, so a test can check what was acknowledged against the store's
 * history and measure how long writes were impossible.
 */
final class FailoverWriter implements AutoCloseable {

    /** One put: acknowledged ({@code ok}) with the member and revision of its response, or failed. */
    record Attempt(long seq, long startNanos, long endNanos, boolean ok, long memberId, long revision,
                   String error) {}

    private final KvClient kv;
    private final String key;
    private final Duration pace;
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong lastMemberId = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;

    FailoverWriter(KvClient kv, String key, Duration pace) {
        this.kv = kv;
        this.key = key;
        this.pace = pace;
        this.thread = new Thread(this::run, "failover-writer");
        thread.setDaemon(true);
    }

    static String value(long seq) {
        return String.format("seq-%06d", seq);
    }

    static long seqOf(String value) {
        return Long.parseLong(value.substring("seq-".length()));
    }

    FailoverWriter start() {
        thread.start();
        return this;
    }

    private void run() {
        for (long seq = 0; !stop; seq++) {
            long start = System.nanoTime();
            Attempt a;
            try {
                PutResponse r = Futures.await(kv.put(key, value(seq)));
                a = new Attempt(seq, start, System.nanoTime(), true, r.header().memberId(), r.header().revision(),
                        null);
                lastMemberId.set(r.header().memberId());
            } catch (EtcdException e) {
                a = new Attempt(seq, start, System.nanoTime(), false, 0, 0,
                        e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            synchronized (attempts) {
                attempts.add(a);
            }
            if (a.ok()) {
                acked.incrementAndGet();
            }
            LockSupport.parkNanos(pace.toNanos());
        }
    }

    long acked() {
        return acked.get();
    }

    /** The member that answered the last acknowledged put: the one the client is talking to. */
    long lastMemberId() {
        return lastMemberId.get();
    }

    List<Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Waits until {@code more} further puts have been acknowledged. */
    void awaitMoreAcks(long more, Duration timeout) {
        long target = acked() + more;
        await("writer acknowledges " + more + " more puts").atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> acked() >= target);
    }

    /** The first acknowledged put that was started at or after {@code nanos}. */
    Optional<Attempt> firstAckStartedAfter(long nanos) {
        return attempts().stream().filter(a -> a.ok() && a.startNanos() - nanos >= 0).findFirst();
    }

    /** The attempts that failed, for failure messages and the report. */
    List<Attempt> failures() {
        List<Attempt> out = new ArrayList<>();
        for (Attempt a : attempts()) {
            if (!a.ok()) {
                out.add(a);
            }
        }
        return out;
    }

    /** Stops after the put in flight and waits for the thread (bounded by the client's request timeout). */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
