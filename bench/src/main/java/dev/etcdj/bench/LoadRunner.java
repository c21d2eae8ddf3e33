package dev.etcdj.bench;

import dev.etcdj.bench.driver.Driver;
import dev.etcdj.bench.driver.DriverFactory;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs one workload through one client library: opens the connections, warms up, measures, cleans
 * up what it wrote, closes. Every wait is bounded; a run that cannot finish reports what it missed
 * instead of hanging.
 */
public final class LoadRunner implements AutoCloseable {

    /** Reads and mixed runs write their key space first; beyond this it would be a load of its own. */
    static final long MAX_PRELOAD = 100_000;
    static final long SYNC_TIMEOUT_S = 60;
    /**
     * Puts at most of the discarded round that warms a rate-limited watch run up (watch-latency at
     * 100 puts/s: 2 s). An unlimited run warms up with the full {@code --warmup}: with 200 puts
     * (20,000 events for 100 watchers) the JIT was still compiling through the measured round
     * (3.9-5.7 s of compiler CPU in a 6,000-put round; 1.8-3.9 s after a 2,000-put warmup), competing
     * with both clients and etcd for the cores.
     */
    static final long WATCH_WARMUP_PUTS_RATED = 200;
    private static final double MIB = 1024d * 1024d;

    private final PrintStream log;
    private final ScheduledExecutorService scheduler;

    /** @param log where progress lines go (stderr usually); null for silence */
    public LoadRunner(PrintStream log) {
        this.log = log;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    public Result run(DriverFactory factory, LoadConfig cfg, String target) throws InterruptedException {
        List<Driver> drivers = new ArrayList<>();
        try {
            // watch-heap opens its one client itself, to count that client's own footprint too.
            int open = cfg.workload() == Workload.WATCH_HEAP ? 0 : cfg.conns();
            for (int i = 0; i < open; i++) {
                drivers.add(factory.open(cfg.endpoints()));
            }
            Run run = new Run(factory, cfg, target, drivers);
            return switch (cfg.workload()) {
                case PUT, RANGE, TXN_PUT, MIXED -> run.kv();
                case WATCH, WATCH_LATENCY -> run.watch();
                case LEASE_KEEPALIVE -> run.leases();
                case WATCH_HEAP -> run.watchHeap();
                case WATCH_SLOW -> run.watchSlow();
            };
        } finally {
            for (Driver d : drivers) {
                try {
                    d.close();
                } catch (RuntimeException e) {
                    if (log != null) {
                        log.println("closing " + factory.name() + " failed: " + e);
                    }
                }
            }
        }
    }

    /** A value of the given size made of printable bytes (etcd's tools use zeros; either is fine). */
    static byte[] value(int size) {
        byte[] v = new byte[size];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < size; i++) {
            v[i] = (byte) ('a' + r.nextInt(26));
        }
        return v;
    }

    /** A watched value: the sender's {@link System#nanoTime()} in the first 8 bytes, then padding. */
    static byte[] stampedValue(int size, long nanos) {
        byte[] v = new byte[Math.max(8, size)];
        for (int i = 0; i < 8; i++) {
            v[i] = (byte) (nanos >>> (56 - 8 * i));
        }
        return v;
    }

    static long readStamp(Driver.ValueReader value) {
        if (value.size() < 8) {
            return -1;
        }
        long nanos = 0;
        for (int i = 0; i < 8; i++) {
            nanos = (nanos << 8) | (value.byteAt(i) & 0xFF);
        }
        return nanos;
    }

    /** Heap in use after a full collection: what is really retained. */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private final class Run {
        private final DriverFactory factory;
        private final String driverName;
        private final LoadConfig cfg;
        private final String target;
        private final List<Driver> drivers;
        private final String label;

        Run(DriverFactory factory, LoadConfig cfg, String target, List<Driver> drivers) {
            this.factory = factory;
            this.driverName = factory.name();
            this.cfg = cfg;
            this.target = target;
            this.drivers = drivers;
            this.label = cfg.workload().cliName() + " " + driverName;
        }

        private Driver driver(int worker) {
            return drivers.get(worker % drivers.size());
        }

        private ClosedLoop loop(String phase, long total, long durationNanos, boolean limited, boolean progress) {
            RateLimiter limiter = limited && cfg.rate() > 0 ? new RateLimiter(cfg.rate()) : null;
            return new ClosedLoop(label + (phase.isEmpty() ? "" : " " + phase), cfg.clients(), total, durationNanos,
                    limiter, scheduler, progress && cfg.progress() ? log : null).waiting(cfg.waiting());
        }

        private ClosedLoop.Outcome measure(ClosedLoop.Request request) throws InterruptedException {
            if (cfg.warmup() > 0) {
                loop("warmup", cfg.warmup(), cfg.durationNanos(), true, false).run(request);
            }
            return loop("", cfg.total(), cfg.durationNanos(), true, true).run(request);
        }

        /** Runs an unmeasured helper phase (preload, grant, revoke), failing the run if it fails. */
        private void helper(String phase, long count, ClosedLoop.Request request) throws InterruptedException {
            ClosedLoop.Outcome o = loop(phase, count, LoadConfig.MAX_DURATION.toNanos(), false, false).run(request);
            if (o.errors() > 0) {
                throw new IllegalStateException(phase + " failed for " + o.errors() + " of " + count + " requests: "
                        + o.errorKinds());
            }
        }

        private Result result(ClosedLoop.Outcome o, Map<String, LatencySummary> others, Map<String, Number> metrics) {
            return new Result(cfg.workload().cliName(), driverName, target, cfg.describe(), o.ok(), o.errors(),
                    o.errorKinds(), o.seconds(), o.throughput(), LatencySummary.of(o.latency()), others, metrics);
        }

        private void cleanup(byte[] prefix) {
            if (prefix.length == 0) {
                return;
            }
            try {
                drivers.get(0).deletePrefix(prefix).get(SYNC_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (log != null) {
                    log.println("cleanup of " + new String(prefix, StandardCharsets.UTF_8) + " failed: " + e);
                }
            }
        }

        // ---- put, range, txn-put, mixed

        Result kv() throws InterruptedException {
            KeyGenerator keys = cfg.keys();
            byte[] value = value(cfg.valueSize());
            boolean reads = cfg.workload() == Workload.RANGE || cfg.workload() == Workload.MIXED;
            if (reads) {
                if (keys.keySpace() > MAX_PRELOAD) {
                    throw new IllegalArgumentException("reads need their keys written first: --key-space-size is at most "
                            + MAX_PRELOAD + " for " + cfg.workload().cliName());
                }
                helper("preload", keys.keySpace(), (w, n, r) -> driver(w).put(keys.keyAt(n), value));
            }
            ClosedLoop.Request request = switch (cfg.workload()) {
                case PUT -> (w, n, r) -> driver(w).put(keys.key(n, r), value);
                case TXN_PUT -> (w, n, r) -> driver(w).txnPut(keys.key(n, r), value);
                case RANGE -> (w, n, r) -> driver(w).get(keys.key(n, r), cfg.serializable());
                case MIXED -> (w, n, r) -> r.nextDouble() < cfg.readRatio()
                        ? driver(w).get(keys.key(n, r), cfg.serializable())
                        : driver(w).put(keys.key(n, r), value);
                default -> throw new IllegalStateException(cfg.workload().toString());
            };
            ClosedLoop.Outcome o = measure(request);
            cleanup(keys.prefix());
            return result(o, Map.of(), Map.of());
        }

        // ---- watch, watch-latency

        Result watch() throws InterruptedException {
            if (cfg.warmup() > 0) {
                // The same watchers and writers on a prefix of their own, discarded: events of warmup
                // puts under the measured prefix would be counted, and without any warmup the
                // first round measured the interpreter (the cold round took up to 7x the warm one).
                watchRound("watch-warmup-", cfg.rate() > 0 ? Math.min(cfg.warmup(), WATCH_WARMUP_PUTS_RATED)
                        : cfg.warmup(), "warmup");
            }
            return watchRound("watch-", cfg.total(), "");
        }

        private Result watchRound(String name, long total, String phase) throws InterruptedException {
            byte[] prefix = (cfg.prefix() + name + Long.toHexString(System.nanoTime()) + "/")
                    .getBytes(StandardCharsets.UTF_8);
            String prefixText = new String(prefix, StandardCharsets.UTF_8);
            KeyGenerator keys = new KeyGenerator(prefixText, cfg.keySize(), cfg.keySpace(), cfg.sequential());
            byte[] syncKey = (prefixText + "~sync").getBytes(StandardCharsets.UTF_8);
            EventCounter counter = new EventCounter(prefix.length);
            List<AutoCloseable> watches = new ArrayList<>();
            try {
                long setupStart = System.nanoTime();
                for (int i = 0; i < cfg.watchers(); i++) {
                    watches.add(driver(i).watchPrefix(prefix, counter.newSink()));
                }
                counter.awaitSync(drivers.get(0), syncKey, cfg.watchers());
                double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

                long firstPut = System.nanoTime();
                ClosedLoop.Outcome o = loop(phase, total, cfg.durationNanos(), true, true).run(
                        (w, n, r) -> driver(w).put(keys.key(n, r), stampedValue(cfg.valueSize(), System.nanoTime())));
                long expected = o.ok() * cfg.watchers();
                boolean all = counter.events.await(expected, SYNC_TIMEOUT_S, TimeUnit.SECONDS);
                long lastEvent = counter.lastEventNanos.get();
                double eventSeconds = Math.max(1e-9, (Math.max(lastEvent, firstPut) - firstPut) / 1e9);

                Map<String, Number> metrics = new LinkedHashMap<>();
                metrics.put("watchers", cfg.watchers());
                metrics.put("events", counter.events.get());
                metrics.put("events_expected", expected);
                metrics.put("events_missing", Math.max(0, expected - counter.events.get()));
                metrics.put("events_per_s", counter.events.get() / eventSeconds);
                metrics.put("watch_errors", counter.errors.sum());
                metrics.put("setup_s", setupSeconds);
                if (!all && log != null) {
                    log.printf("[%s] only %d of %d events arrived within %d s%n", label, counter.events.get(),
                            expected, SYNC_TIMEOUT_S);
                }
                return result(o, Map.of("event", LatencySummary.of(counter.latency.total())), metrics);
            } finally {
                closeAll(watches);
                cleanup(prefix);
            }
        }

        // ---- lease-keepalive

        Result leases() throws InterruptedException {
            int count = Math.max(1, cfg.watchers());
            AtomicLongArray ids = new AtomicLongArray(count);
            ClosedLoop grant = loop("grant", count, LoadConfig.MAX_DURATION.toNanos(), false, false);
            ClosedLoop.Outcome granted = grant.run((w, n, r) -> driver(w).grantLease(cfg.leaseTtl())
                    .thenAccept(id -> ids.set((int) n, id)));
            if (granted.errors() > 0) {
                throw new IllegalStateException("granting leases failed: " + granted.errorKinds());
            }
            LongAdder renewals = new LongAdder();
            LongAdder ended = new LongAdder();
            Map<String, Long> endings = new java.util.concurrent.ConcurrentHashMap<>();
            List<AutoCloseable> keepAlives = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    keepAlives.add(driver(i).keepAlive(ids.get(i), new Driver.KeepAliveSink() {
                        @Override
                        public void onRenewed() {
                            renewals.increment();
                        }

                        @Override
                        public void onEnded(String why) {
                            ended.increment();
                            endings.merge(why, 1L, Long::sum);
                        }
                    }));
                }
                long streamsStart = System.nanoTime();
                ClosedLoop.Outcome o = measure((w, n, r) -> driver(w).keepAliveOnce(ids.get(r.nextInt(count))));
                double streamSeconds = (System.nanoTime() - streamsStart) / 1e9;
                Map<String, Number> metrics = new LinkedHashMap<>();
                metrics.put("leases", count);
                metrics.put("stream_renewals", renewals.sum());
                metrics.put("stream_renewals_per_s", renewals.sum() / streamSeconds);
                metrics.put("keepalives_ended", ended.sum());
                if (!endings.isEmpty() && log != null) {
                    log.printf("[%s] keep-alives that ended on their own: %s%n", label, endings);
                }
                return result(o, Map.of("grant", LatencySummary.of(granted.latency())), metrics);
            } finally {
                closeAll(keepAlives);
                loop("revoke", count, LoadConfig.MAX_DURATION.toNanos(), false, false)
                        .run((w, n, r) -> driver(w).revokeLease(ids.get((int) n)));
            }
        }

        // ---- watch-heap

        Result watchHeap() throws InterruptedException {
            byte[] prefix = (cfg.prefix() + "heap-" + Long.toHexString(System.nanoTime()) + "/")
                    .getBytes(StandardCharsets.UTF_8);
            long before = usedHeapAfterGc();
            Driver d = factory.open(cfg.endpoints());
            drivers.add(d);
            EventCounter counter = new EventCounter(prefix.length);
            List<AutoCloseable> watches = new ArrayList<>(cfg.watchers());
            try {
                long t0 = System.nanoTime();
                for (int i = 0; i < cfg.watchers(); i++) {
                    watches.add(d.watchPrefix(prefix, counter.newSink()));
                }
                long syncStart = System.nanoTime();
                counter.awaitSync(d, (new String(prefix, StandardCharsets.UTF_8) + "~sync")
                        .getBytes(StandardCharsets.UTF_8), cfg.watchers());
                long t1 = System.nanoTime();
                long after = usedHeapAfterGc();
                double mb = (after - before) / MIB;
                Map<String, Number> metrics = new LinkedHashMap<>();
                metrics.put("watchers", cfg.watchers());
                metrics.put("heap_mb", mb);
                metrics.put("bytes_per_watcher", (after - before) / (double) Math.max(1, cfg.watchers()));
                metrics.put("setup_s", (t1 - t0) / 1e9);
                metrics.put("fanout_ms", (t1 - syncStart) / 1e6);
                ClosedLoop.Outcome o = new ClosedLoop.Outcome(cfg.watchers(), counter.errors.sum(), Map.of(), t1 - t0,
                        new org.HdrHistogram.Histogram(3));
                return result(o, Map.of(), metrics);
            } finally {
                closeAll(watches);
                cleanup(prefix);
            }
        }

        // ---- watch-slow

        Result watchSlow() throws InterruptedException {
            byte[] prefix = (cfg.prefix() + "slow-" + Long.toHexString(System.nanoTime()) + "/")
                    .getBytes(StandardCharsets.UTF_8);
            String prefixText = new String(prefix, StandardCharsets.UTF_8);
            KeyGenerator keys = new KeyGenerator(prefixText, cfg.keySize(), cfg.keySpace(), cfg.sequential());
            byte[] value = value(Math.max(1, cfg.valueSize()));
            CountDownLatch gate = new CountDownLatch(1);
            AwaitableCounter delivered = new AwaitableCounter();
            AwaitableCounter syncs = new AwaitableCounter();
            AtomicLong lastDelivery = new AtomicLong();
            // The slow watcher gets a client of its own, so a library that blocks shared threads in a
            // listener stalls only the watch and not the writers.
            Driver watching = factory.open(cfg.endpoints());
            AutoCloseable watch = null;
            try {
                watch = watching.watchPrefix(prefix, new Driver.WatchSink() {
                    @Override
                    public void onPut(byte[] key, Driver.ValueReader v) {
                        if (EventCounter.isSync(key, prefix.length)) {
                            syncs.increment();
                        } else {
                            lastDelivery.set(System.nanoTime());
                            delivered.increment();
                        }
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void onError(Throwable error) {
                        syncs.wake();
                        delivered.wake();
                    }
                });
                // The first event (a sync key, put until it arrives) blocks the consumer from here on.
                byte[] syncKey = (prefixText + "~sync").getBytes(StandardCharsets.UTF_8);
                boolean blocking = false;
                for (long attempt = 0; attempt < SYNC_TIMEOUT_S && !blocking; attempt++) {
                    // Through a writer: a library that blocks its event loop in the listener cannot
                    // complete a put of its own once the first event is being held.
                    EventCounter.putSync(drivers.get(0), syncKey);
                    blocking = syncs.await(1, 1, TimeUnit.SECONDS);
                }
                if (!blocking) {
                    throw new IllegalStateException("the watch saw no event within " + SYNC_TIMEOUT_S + " s");
                }
                long baseline = usedHeapAfterGc();
                ClosedLoop.Outcome o = loop("", cfg.total(), cfg.durationNanos(), true, true)
                        .run((w, n, r) -> driver(w).put(keys.key(n, r), value));
                // What piles up while the consumer is stuck needs time to arrive; there is no event
                // to wait for, so this is a plain timed pause before looking.
                new CountDownLatch(1).await(2, TimeUnit.SECONDS);
                long blocked = usedHeapAfterGc();
                long releasedAt = System.nanoTime();
                gate.countDown();
                long expected = o.ok();
                delivered.await(expected, SYNC_TIMEOUT_S, TimeUnit.SECONDS);
                double drain = (Math.max(lastDelivery.get(), releasedAt) - releasedAt) / 1e9;
                // The same watch with nothing left to deliver: the baseline least disturbed by
                // whatever earlier runs left for the collector.
                long drained = usedHeapAfterGc();
                Map<String, Number> metrics = new LinkedHashMap<>();
                metrics.put("payload_mb", o.ok() * (double) value.length / MIB);
                metrics.put("retained_mb", (blocked - Math.min(baseline, drained)) / MIB);
                metrics.put("events", delivered.get());
                metrics.put("events_missing", Math.max(0, expected - delivered.get()));
                metrics.put("drain_s", drain);
                return result(o, Map.of(), metrics);
            } finally {
                gate.countDown();
                if (watch != null) {
                    closeQuietly(watch);
                }
                cleanup(prefix);
                watching.close();
            }
        }

        private void closeAll(List<AutoCloseable> handles) {
            for (AutoCloseable h : handles) {
                closeQuietly(h);
            }
        }

        private void closeQuietly(AutoCloseable h) {
            try {
                h.close();
            } catch (Exception e) {
                if (log != null) {
                    log.println("closing a stream failed: " + e);
                }
            }
        }
    }
}
