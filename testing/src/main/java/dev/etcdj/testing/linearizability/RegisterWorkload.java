package dev.etcdj.testing.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Concurrent clients doing reads, puts and compare-and-sets on a few keys, each call recorded in a
 * {@link HistoryRecorder}. Every written value is unique ({@code p<process>-<n>}), so a read names
 * the write it saw. Each CAS expects the value its process last saw for that key, so many succeed.
 *
 * <pre>{@code
 * RegisterWorkload.Run run = RegisterWorkload.builder().keys("lin/a", "lin/b").clients(4).seed(7)
 *         .build().start(p -> new MyRegisterClient(endpoints), recorder);
 * ... inject faults ...
 * run.stop(Duration.ofSeconds(10));
 * CheckResult r = LinearizabilityChecker.create().check(recorder.history());
 * }</pre>
 */
public final class RegisterWorkload {
    private final List<String> keys;
    private final int clients;
    private final long seed;
    private final int readPercent;
    private final int casPercent;

    private RegisterWorkload(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.clients = b.clients;
        this.seed = b.seed;
        this.readPercent = b.readPercent;
        this.casPercent = b.casPercent;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts one thread per client; {@code clientFactory} makes the client of process {@code p}
     * (it may hand every process the same client). Runs until {@link Run#stop(Duration)}.
     */
    public Run start(IntFunction<? extends RegisterClient> clientFactory, HistoryRecorder recorder) {
        Run run = new Run();
        for (int p = 0; p < clients; p++) {
            RegisterClient client = Objects.requireNonNull(clientFactory.apply(p), "client");
            int process = p;
            Thread t = new Thread(() -> loop(process, client, recorder, run), "register-workload-" + p);
            t.setDaemon(true);
            run.threads.add(t);
            run.clients.add(client);
        }
        run.threads.forEach(Thread::start);
        return run;
    }

    private void loop(int process, RegisterClient client, HistoryRecorder recorder, Run run) {
        Random random = new Random(seed * 1_000_003L + process);
        String[] lastSeen = new String[keys.size()];
        int n = 0;
        while (!run.stopping.get()) {
            int k = random.nextInt(keys.size());
            String key = keys.get(k);
            int dice = random.nextInt(100);
            if (dice < readPercent) {
                HistoryRecorder.Call call = recorder.invokeRead(process, key);
                try {
                    RegisterClient.Read r = client.read(key);
                    call.okRead(r.value(), r.revision());
                    lastSeen[k] = r.value();
                } catch (Exception e) {
                    finishFailed(client, call, e, run);
                }
            } else {
                String value = "p" + process + "-" + n++;
                if (dice < readPercent + casPercent) {
                    HistoryRecorder.Call call = recorder.invokeCas(process, key, lastSeen[k], value);
                    try {
                        RegisterClient.Cas r = client.cas(key, lastSeen[k], value);
                        call.okCas(r.succeeded(), r.revision());
                        if (r.succeeded()) {
                            lastSeen[k] = value;
                        }
                    } catch (Exception e) {
                        finishFailed(client, call, e, run);
                    }
                } else {
                    HistoryRecorder.Call call = recorder.invokeWrite(process, key, value);
                    try {
                        call.ok(client.write(key, value));
                        lastSeen[k] = value;
                    } catch (Exception e) {
                        finishFailed(client, call, e, run);
                    }
                }
            }
            run.ops.incrementAndGet();
        }
    }

    private static void finishFailed(RegisterClient client, HistoryRecorder.Call call, Exception e, Run run) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (client.surelyNotApplied(e)) {
            call.fail(e.toString());
            run.failed.incrementAndGet();
        } else {
            call.unknown(e.toString());
            run.unknown.incrementAndGet();
        }
    }

    /** A running workload. */
    public static final class Run {
        private final List<Thread> threads = new ArrayList<>();
        private final List<RegisterClient> clients = new ArrayList<>();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final AtomicLong ops = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong unknown = new AtomicLong();

        /** Calls finished so far (any outcome). */
        public long ops() {
            return ops.get();
        }

        /** Calls that failed for sure, and calls with no answer, so far. */
        public long failed() {
            return failed.get();
        }

        public long unknown() {
            return unknown.get();
        }

        /** Asks every client to stop after its current call and waits for them (up to {@code timeout} each). */
        public void stop(Duration timeout) throws InterruptedException {
            stopping.set(true);
            for (Thread t : threads) {
                t.join(timeout.toMillis());
                if (t.isAlive()) {
                    throw new IllegalStateException(t.getName() + " did not stop within " + timeout);
                }
            }
            for (RegisterClient c : clients) {
                c.close();
            }
        }
    }

    /** Options for a workload. */
    public static final class Builder {
        private List<String> keys = List.of("lin/0", "lin/1", "lin/2");
        private int clients = 4;
        private long seed = 1;
        private int readPercent = 40;
        private int casPercent = 30;

        private Builder() {
        }

        /** The keys written (default {@code lin/0..2}): few keys, so calls on one key overlap. */
        public Builder keys(String... keys) {
            if (keys.length == 0) {
                throw new IllegalArgumentException("at least one key");
            }
            this.keys = List.of(keys);
            return this;
        }

        /** Number of concurrent clients (default 4). */
        public Builder clients(int clients) {
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be >= 1");
            }
            this.clients = clients;
            return this;
        }

        /** Seed of the clients' random choices (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Share of reads and of compare-and-sets in percent (default 40 / 30; the rest are puts). */
        public Builder mix(int readPercent, int casPercent) {
            if (readPercent < 0 || casPercent < 0 || readPercent + casPercent > 100) {
                throw new IllegalArgumentException("percentages must be >= 0 and sum to <= 100");
            }
            this.readPercent = readPercent;
            this.casPercent = casPercent;
            return this;
        }

        public RegisterWorkload build() {
            return new RegisterWorkload(this);
        }
    }
}
