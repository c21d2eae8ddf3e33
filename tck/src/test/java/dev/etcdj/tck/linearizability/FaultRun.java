package dev.etcdj.tck.linearizability;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.linearizability.HistoryRecorder;
import dev.etcdj.testing.linearizability.RegisterWorkload;
import dev.etcdj.testing.linearizability.WatchLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A bounded fault run: the register workload and two watchers run while faults are injected one
 * at a time (inject, hold, heal, wait until the workload makes progress again), with compactions
 * in between. Afterwards the watchers are drained up to the final revision; the history and watch
 * log are then checked by {@code LinearizabilityExtension}.
 */
final class FaultRun {
    static final String PREFIX = "lin/";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** One kind of fault; {@code heal} undoes {@code inject}. */
    interface Fault {
        String name();

        void inject() throws Exception;

        void heal() throws Exception;
    }

    /** What one run did. */
    record Summary(long ops, long ok, long unknown, long failed, Map<String, Integer> faults, int compactions,
                   int watchRestarts, long finalRevision) {
        String line() {
            return ops + " ops (" + ok + " ok, " + unknown + " unknown, " + failed + " failed), faults " + faults
                    + ", " + compactions + " compactions, " + watchRestarts + " watch restarts after compaction"
                    + ", final revision " + finalRevision;
        }
    }

    /** Run length: {@code -Detcdj.soak.seconds=N} for a soak, else {@code ciSeconds}. */
    static Duration duration(int ciSeconds) {
        return Duration.ofSeconds(Long.getLong("etcdj.soak.seconds", ciSeconds));
    }

    static Summary run(Supplier<List<String>> endpoints, List<Fault> faults, Duration duration, long seed,
                       HistoryRecorder history, WatchLog watchLog) throws Exception {
        Random random = new Random(seed);
        Map<String, Integer> injected = new LinkedHashMap<>();
        int compactions = 0;
        try (EtcdClient admin = EtcdClient.builder().endpoints(endpoints.get()).requestTimeout(Duration.ofSeconds(5)).build()) {
            long start = currentRevision(admin) + 1;
            List<WatchTap> taps = new ArrayList<>();
            taps.add(new WatchTap("watch-a", endpoints.get(), PREFIX, watchLog, start));
            taps.add(new WatchTap("watch-b", endpoints.get(), PREFIX, watchLog, start));
            RegisterWorkload.Run run = RegisterWorkload.builder()
                    .keys(PREFIX + "0", PREFIX + "1", PREFIX + "2").clients(4).seed(seed).build()
                    .start(p -> new ClientRegister(endpoints.get(), REQUEST_TIMEOUT), history);
            try {
                long deadline = System.nanoTime() + duration.toNanos();
                awaitProgress(run, 100);
                int next = random.nextInt(faults.size());
                while (System.nanoTime() < deadline) {
                    Fault fault = faults.get(next++ % faults.size());
                    fault.inject();
                    injected.merge(fault.name(), 1, Integer::sum);
                    // The fault's own length (0.5-1.5 s), not a wait for a condition: the workload runs into it.
                    LockSupport.parkNanos(Duration.ofMillis(500 + random.nextInt(1000)).toNanos());
                    fault.heal();
                    awaitProgress(run, 50);
                    if (next % 2 == 0 && compact(admin)) {
                        compactions++;
                        if (taps.size() == 2) {
                            // A watcher that starts behind the compaction: it is told so, then goes on from there.
                            taps.add(new WatchTap("watch-late", endpoints.get(), PREFIX, watchLog, start));
                        }
                    }
                }
            } finally {
                run.stop(Duration.ofSeconds(60));
            }
            long last = currentRevision(admin);
            for (WatchTap tap : taps) {
                Await.until(Duration.ofSeconds(60), "watcher to reach revision " + last,
                        () -> tap.lastRevision() >= last || tap.failure() != null);
            }
            int restarts = 0;
            for (WatchTap tap : taps) {
                restarts += tap.compactedRestarts();
                tap.close();
                if (tap.failure() != null) {
                    throw new AssertionError("watch failed", tap.failure());
                }
            }
            long ok = run.ops() - run.unknown() - run.failed();
            return new Summary(run.ops(), ok, run.unknown(), run.failed(), injected, compactions, restarts, last);
        }
    }

    /** Waits until the workload completed {@code n} more calls (of any outcome) with at least one success. */
    private static void awaitProgress(RegisterWorkload.Run run, int n) {
        long ops = run.ops();
        long good = run.ops() - run.unknown() - run.failed();
        Await.until(Duration.ofSeconds(60), "workload to make progress",
                () -> run.ops() - ops >= n && run.ops() - run.unknown() - run.failed() > good);
    }

    /** The store's revision, asked until a member answers (the admin calls are not part of the history). */
    private static long currentRevision(EtcdClient admin) {
        long[] revision = new long[1];
        Await.until(Duration.ofSeconds(60), "the store's revision", () -> {
            try {
                revision[0] = admin.kv().get(PREFIX).join().header().revision();
                return true;
            } catch (RuntimeException e) {
                System.err.println("revision not read yet: " + e);
                return false;
            }
        });
        return revision[0];
    }

    /** Compacts to 20 revisions before the current one; false if the store is too young or the call failed. */
    private static boolean compact(EtcdClient admin) {
        try {
            long rev = admin.kv().get(PREFIX).join().header().revision() - 20;
            if (rev <= 1) {
                return false;
            }
            admin.kv().compact(rev).join();
            return true;
        } catch (RuntimeException e) {
            // A compaction refused during recovery (e.g. no leader yet) is not a finding; the run goes on.
            System.err.println("compaction skipped: " + e);
            return false;
        }
    }
}
