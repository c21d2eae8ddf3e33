package dev.etcdj.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs requests with a fixed number of workers, each sending its next request when the previous
 * one has been answered (a closed loop, like the goroutines of etcd's benchmark tool), until the
 * total is sent or the deadline passes. Workers are not threads: each continues on whichever thread
 * completed its last future, so a hundred workers cost a hundred futures, not a hundred threads,
 * and the client library's own threads do the work it would do in an application. With
 * {@link #waiting(boolean)} each worker is instead a thread of its own that waits on every call
 * ({@code future.get()}) before it sends the next, as sequential application code does and as each
 * goroutine of etcd's benchmark tool does.
 *
 * <p>Latency is measured from just before the call to the completion of its future. Under a rate
 * limit the wait for a slot is not counted (service time, not response time).
 */
public final class ClosedLoop {

    /** Sends the n-th request of the run for worker {@code worker}. */
    @FunctionalInterface
    public interface Request {
        CompletableFuture<?> send(int worker, long n, SplittableRandom random);
    }

    /** What a loop did. */
    public record Outcome(long ok, long errors, Map<String, Long> errorKinds, long elapsedNanos, Histogram latency) {
        public double seconds() {
            return elapsedNanos / 1e9;
        }

        public double throughput() {
            return elapsedNanos == 0 ? 0 : ok / seconds();
        }
    }

    /** How long past its deadline a loop waits for the answers still outstanding. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String label;
    private final int workers;
    private final long total;
    private final long durationNanos;
    private final RateLimiter limiter;
    private final ScheduledExecutorService scheduler;
    private final PrintStream progressOut;

    private final AtomicLong issued = new AtomicLong();
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    private final LatencyStats stats = new LatencyStats();
    private CountDownLatch finished;
    private volatile boolean stopped;
    private long start;
    private long deadline;
    private Request request;
    private SplittableRandom[] randoms;
    private boolean waiting;
    private final List<Thread> waiters = new ArrayList<>();

    /**
     * @param total         requests to send; 0 = until the deadline
     * @param durationNanos the deadline, from the start
     * @param limiter       null for no rate limit
     * @param progressOut   where to print a progress line each second; null for none
     */
    public ClosedLoop(String label, int workers, long total, long durationNanos, RateLimiter limiter,
                      ScheduledExecutorService scheduler, PrintStream progressOut) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.label = label;
        this.workers = (int) (total > 0 ? Math.min(workers, total) : workers);
        this.total = total;
        this.durationNanos = durationNanos;
        this.limiter = limiter;
        this.scheduler = scheduler;
        this.progressOut = progressOut;
    }

    /** Whether each worker is a thread of its own that waits on every call (see the class comment). */
    public ClosedLoop waiting(boolean on) {
        this.waiting = on;
        return this;
    }

    public Outcome run(Request request) throws InterruptedException {
        this.request = request;
        this.finished = new CountDownLatch(workers);
        this.randoms = new SplittableRandom[workers];
        SplittableRandom seeds = new SplittableRandom(0x5EED);
        for (int w = 0; w < workers; w++) {
            randoms[w] = seeds.split();
        }
        start = System.nanoTime();
        deadline = start + durationNanos;
        ScheduledFuture<?> progress = progressOut == null ? null
                : scheduler.scheduleAtFixedRate(this::printProgress, 1, 1, TimeUnit.SECONDS);
        try {
            for (int w = 0; w < workers; w++) {
                final int worker = w;
                if (waiting) {
                    Thread t = new Thread(() -> waitingLoop(worker), label + " worker " + w);
                    t.setDaemon(true);
                    waiters.add(t);
                    t.start();
                } else {
                    // Start each worker off the caller's thread so one slow first call cannot hold up the rest.
                    scheduler.execute(() -> loop(worker));
                }
            }
            boolean done = finished.await(durationNanos + GRACE_NANOS, TimeUnit.NANOSECONDS);
            long elapsed = System.nanoTime() - start;
            if (!done) {
                stopped = true;
                long unanswered = finished.getCount();
                errors.add(unanswered);
                errorKinds.computeIfAbsent("no answer within the deadline + 30 s", k -> new LongAdder()).add(unanswered);
            }
            Map<String, Long> kinds = new TreeMap<>();
            errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
            return new Outcome(ok.sum(), errors.sum(), kinds, elapsed, stats.total());
        } finally {
            stopped = true;
            if (progress != null) {
                progress.cancel(false);
            }
            waiters.forEach(Thread::interrupt); // only those still waiting past the deadline
        }
    }

    /** A waiting worker: sends, waits for the answer on its own thread, records, sends the next. */
    private void waitingLoop(int worker) {
        try {
            while (true) {
                long n = issued.getAndIncrement();
                long now = System.nanoTime();
                if (stopped || (total > 0 && n >= total) || now - deadline >= 0) {
                    return;
                }
                long wait = limiter == null ? 0 : limiter.reserve();
                if (wait > 0) {
                    if (now + wait - deadline >= 0) {
                        return;
                    }
                    LockSupport.parkNanos(wait); // the rate limiter's slot: pacing, not waiting for a condition
                }
                long t0 = System.nanoTime();
                Throwable error = null;
                try {
                    request.send(worker, n, randoms[worker]).get();
                } catch (ExecutionException | RuntimeException e) {
                    error = e;
                } catch (InterruptedException stop) {
                    return;
                }
                record(t0, error);
            }
        } finally {
            finished.countDown();
        }
    }

    private void loop(int worker) {
        while (true) {
            long n = issued.getAndIncrement();
            long now = System.nanoTime();
            if (stopped || (total > 0 && n >= total) || now - deadline >= 0) {
                finished.countDown();
                return;
            }
            long wait = limiter == null ? 0 : limiter.reserve();
            if (wait > 0) {
                if (now + wait - deadline >= 0) {
                    finished.countDown();
                    return;
                }
                scheduler.schedule(() -> {
                    if (send(worker, n)) {
                        loop(worker);
                    }
                }, wait, TimeUnit.NANOSECONDS);
                return;
            }
            if (!send(worker, n)) {
                return;
            }
        }
    }

    /**
     * Sends one request. Returns true when it is already answered, so the caller goes on in its own
     * loop instead of recursing; otherwise the completion continues the worker.
     */
    private boolean send(int worker, long n) {
        long t0 = System.nanoTime();
        CompletableFuture<?> f;
        try {
            f = request.send(worker, n, randoms[worker]);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
            complete(t0, f);
            return true;
        }
        f.whenComplete((r, e) -> {
            record(t0, e);
            loop(worker);
        });
        return false;
    }

    private void complete(long t0, CompletableFuture<?> f) {
        Throwable error = null;
        try {
            f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            error = e;
        }
        record(t0, error);
    }

    private void record(long t0, Throwable error) {
        if (error == null) {
            stats.record(System.nanoTime() - t0);
            ok.increment();
        } else {
            errors.increment();
            errorKinds.computeIfAbsent(describe(error), k -> new LongAdder()).increment();
        }
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message != null && message.length() > 120) {
            message = message.substring(0, 120) + "...";
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void printProgress() {
        Histogram interval = stats.drainInterval();
        double secs = (System.nanoTime() - start) / 1e9;
        progressOut.printf("[%s] %5.1fs %9d ok %6d err  %8.0f/s  p50 %s p99 %s ms%n", label, secs, ok.sum(),
                errors.sum(), (double) interval.getTotalCount(), LatencySummary.fmt(interval.getValueAtPercentile(50) / 1e6),
                LatencySummary.fmt(interval.getValueAtPercentile(99) / 1e6));
    }
}
