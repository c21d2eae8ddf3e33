package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Op;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The distributed mutex: exclusion, arrival order, reentry, try-lock, ended sessions, cancelled waits.
 * Run against real etcd (the oracle) and against our server, by the two subclasses.
 */
abstract class MutexContract extends RecipeContract {

    @Test
    void twoSessionsNeverHoldTheLockAtOnce() throws Exception {
        int iterations = 25;
        String counterKey = "mutex-excl/counter";
        client.kv().put(counterKey, "0").join();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Session s1 = Session.create(client, 10); Session s2 = Session.create(other, 10)) {
            List<Future<?>> workers = new ArrayList<>();
            for (Session s : List.of(s1, s2)) {
                Mutex mutex = new Mutex(s, "mutex-excl/lock");
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < iterations; i++) {
                        mutex.lock().get(20, TimeUnit.SECONDS);
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        // A read-modify-write that loses updates unless the lock excludes the other.
                        long n = Long.parseLong(s.client().kv().get(counterKey).join().kvs().get(0).value()
                                .toStringUtf8());
                        s.client().kv().put(counterKey, Long.toString(n + 1)).join();
                        inside.decrementAndGet();
                        mutex.unlock().join();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).hasValue(0);
        assertThat(client.kv().get(counterKey).join().kvs().get(0).value().toStringUtf8())
                .isEqualTo(Integer.toString(2 * iterations));
        assertThat(keysUnder("mutex-excl/lock/")).isZero();
    }

    @Test
    void revokingTheHoldersSessionHandsTheLockToTheWaiter() throws Exception {
        Session s1 = Session.create(client, 30);
        try (Session s2 = Session.create(other, 30)) {
            Mutex m1 = new Mutex(s1, "mutex-revoke");
            Mutex m2 = new Mutex(s2, "mutex-revoke");
            m1.lock().get(10, TimeUnit.SECONDS);
            assertThat(m1.key().toStringUtf8()).isEqualTo("mutex-revoke/" + Long.toHexString(s1.leaseId()));
            CompletableFuture<Void> waiting = m2.lock();
            Await.until(Duration.ofSeconds(10), "the waiter queued", () -> keysUnder("mutex-revoke/") == 2);
            assertThat(waiting).isNotDone();

            s1.close(); // revokes the lease: the holder's key goes with it
            waiting.get(10, TimeUnit.SECONDS);
            assertThat(other.kv().txn().when(m2.isOwner()).commit().join().succeeded()).isTrue();
            assertThat(client.kv().txn().when(m1.isOwner()).commit().join().succeeded()).isFalse();
            m2.unlock().join();
        }
    }

    @Test
    void tryLockFailsWhileHeldAndLeavesNoKeyBehind() throws Exception {
        try (Session s1 = Session.create(client, 30); Session s2 = Session.create(other, 30)) {
            Mutex m1 = new Mutex(s1, "mutex-try");
            Mutex m2 = new Mutex(s2, "mutex-try");
            assertThat(m1.tryLock().get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(m2.tryLock().get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(keysUnder("mutex-try/")).isEqualTo(1);
            m1.unlock().join();
            assertThat(m2.tryLock().get(10, TimeUnit.SECONDS)).isTrue();
            m2.unlock().join();
        }
    }

    @Test
    void theSameSessionReentersItsOwnKey() throws Exception {
        try (Session s = Session.create(client, 30)) {
            Mutex a = new Mutex(s, "mutex-same");
            Mutex b = new Mutex(s, "mutex-same");
            a.lock().get(10, TimeUnit.SECONDS);
            b.lock().get(10, TimeUnit.SECONDS); // Go semantics: the lock is the session's
            assertThat(keysUnder("mutex-same/")).isEqualTo(1);
            a.unlock().join();
        }
    }

    @Test
    void aWaiterWhoseSessionEndsFailsAndLeavesTheQueue() throws Exception {
        try (Session s1 = Session.create(client, 30)) {
            Session s2 = Session.create(other, 30);
            Mutex m1 = new Mutex(s1, "mutex-expire");
            m1.lock().get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> waiting = new Mutex(s2, "mutex-expire").lock();
            Await.until(Duration.ofSeconds(10), "the waiter queued", () -> keysUnder("mutex-expire/") == 2);
            s2.close();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SessionExpiredException.class);
            assertThat(keysUnder("mutex-expire/")).isEqualTo(1);
            assertThatThrownBy(() -> new Mutex(s2, "mutex-expire").lock().join())
                    .hasCauseInstanceOf(SessionExpiredException.class);
            m1.unlock().join();
        }
    }

    @Test
    void cancellingAWaitGivesUpTheQueuePlace() throws Exception {
        try (Session s1 = Session.create(client, 30); Session s2 = Session.create(other, 30)) {
            Mutex m1 = new Mutex(s1, "mutex-cancel");
            m1.lock().get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> waiting = new Mutex(s2, "mutex-cancel").lock();
            Await.until(Duration.ofSeconds(10), "the waiter queued", () -> keysUnder("mutex-cancel/") == 2);
            waiting.cancel(true);
            Await.until(Duration.ofSeconds(10), "the cancelled waiter left", () -> keysUnder("mutex-cancel/") == 1);
            // The holder's guarded write still works: the cancelled waiter never took the lock.
            assertThat(client.kv().txn().when(m1.isOwner()).then(Op.put(Bytes.of("mutex-cancel-data"), Bytes.of("x")))
                    .commit().join().succeeded()).isTrue();
            m1.unlock().join();
        }
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        List<Session> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                sessions.add(Session.create(i % 2 == 0 ? client : other, 30));
            }
            Mutex first = new Mutex(sessions.get(0), "mutex-fifo");
            first.lock().get(10, TimeUnit.SECONDS);
            List<Mutex> mutexes = new ArrayList<>();
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (int i = 1; i < 4; i++) {
                Mutex m = new Mutex(sessions.get(i), "mutex-fifo");
                mutexes.add(m);
                CompletableFuture<Void> w = m.lock();
                waits.add(w);
                long queued = i + 1;
                Await.until(Duration.ofSeconds(10), "waiter " + i + " queued",
                        () -> keysUnder("mutex-fifo/") == queued);
            }
            first.unlock().join();
            for (int i = 0; i < 3; i++) {
                waits.get(i).get(10, TimeUnit.SECONDS);
                // Everyone who queued later is still waiting while this one holds the lock.
                for (int later = i + 1; later < 3; later++) {
                    assertThat(waits.get(later)).isNotDone();
                }
                mutexes.get(i).unlock().join();
            }
        } finally {
            for (Session s : sessions) {
                s.close();
            }
        }
    }
}
