package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Options;
import dev.etcdj.client.TxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Software transactional memory: transfers under contention at each isolation level, retries, aborts.
 * Run against real etcd (the oracle) and against our server, by the two subclasses.
 */
abstract class StmContract extends RecipeContract {

    private static final int ACCOUNTS = 5;
    private static final long START_BALANCE = 100;

    private long sum(String prefix) {
        long total = 0;
        for (KeyValue kv : client.kv().get(prefix, Options.prefix()).join().kvs()) {
            total += Long.parseLong(kv.value().toStringUtf8());
        }
        return total;
    }

    @ParameterizedTest
    @EnumSource(value = Stm.Isolation.class, names = {"SERIALIZABLE_SNAPSHOT", "SERIALIZABLE", "REPEATABLE_READS"})
    void concurrentTransfersKeepTheTotal(Stm.Isolation isolation) throws Exception {
        String prefix = "bank-" + isolation + "/";
        for (int i = 0; i < ACCOUNTS; i++) {
            client.kv().put(prefix + i, Long.toString(START_BALANCE)).join();
        }
        int threads = 3;
        int transfers = 20;
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < transfers; i++) {
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long amount = 1 + random.nextInt(20);
                        Stm.run(client, isolation, tx -> {
                            attempts.incrementAndGet();
                            long a = Long.parseLong(tx.get(prefix + from));
                            long b = Long.parseLong(tx.get(prefix + to));
                            if (a < amount) {
                                return; // nothing to move: commits no writes
                            }
                            tx.put(prefix + from, Long.toString(a - amount));
                            tx.put(prefix + to, Long.toString(b + amount));
                        });
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
        assertThat(sum(prefix)).isEqualTo(ACCOUNTS * START_BALANCE);
        // Every run of the function counts; conflicts make more runs than transfers.
        assertThat(attempts.get()).isGreaterThanOrEqualTo(threads * transfers);
        for (KeyValue kv : client.kv().get(prefix, Options.prefix()).join().kvs()) {
            assertThat(Long.parseLong(kv.value().toStringUtf8())).isNotNegative();
        }
    }

    @Test
    void aConflictingWriteMakesTheFunctionRunAgainOnFreshData() {
        client.kv().put("stm-retry/x", "1").join();
        AtomicInteger runs = new AtomicInteger();
        TxnResponse resp = Stm.run(client, tx -> {
            String x = tx.get("stm-retry/x");
            if (runs.incrementAndGet() == 1) {
                // Someone else changes x between our read and our commit.
                client.kv().put("stm-retry/x", "10").join();
            }
            tx.put("stm-retry/y", x + "+1");
        });
        assertThat(resp.succeeded()).isTrue();
        assertThat(runs).hasValue(2);
        assertThat(client.kv().get("stm-retry/y").join().kvs().get(0).value().toStringUtf8()).isEqualTo("10+1");
    }

    @Test
    void snapshotIsolationRejectsAWriteToAKeyChangedAfterTheSnapshot() {
        client.kv().put("stm-skew/read", "r").join();
        client.kv().put("stm-skew/written", "w0").join();
        AtomicInteger runs = new AtomicInteger();
        Stm.run(client, Stm.Isolation.SERIALIZABLE_SNAPSHOT, tx -> {
            tx.get("stm-skew/read");
            if (runs.incrementAndGet() == 1) {
                client.kv().put("stm-skew/written", "w1").join(); // a write-only key changes meanwhile
            }
            tx.put("stm-skew/written", "mine");
        });
        assertThat(runs).hasValue(2);
        // Plain serializable only checks what was read, so the blind write wins at once.
        runs.set(0);
        Stm.run(client, Stm.Isolation.SERIALIZABLE, tx -> {
            tx.get("stm-skew/read");
            if (runs.incrementAndGet() == 1) {
                client.kv().put("stm-skew/written", "w2").join();
            }
            tx.put("stm-skew/written", "mine2");
        });
        assertThat(runs).hasValue(1);
    }

    @Test
    void readsSeeTheTransactionsOwnWritesAndMissingKeysAreEmpty() {
        Stm.run(client, tx -> {
            assertThat(tx.get("stm-own/k")).isEmpty();
            assertThat(tx.rev("stm-own/k")).isZero();
            tx.put("stm-own/k", "v");
            assertThat(tx.get("stm-own/k")).isEqualTo("v");
            tx.put("stm-own/gone", "x");
            tx.delete("stm-own/gone");
            assertThat(tx.get("stm-own/gone")).isEmpty();
        });
        assertThat(client.kv().get("stm-own/k").join().kvs()).hasSize(1);
        assertThat(client.kv().get("stm-own/gone").join().kvs()).isEmpty();
    }

    @Test
    void anExceptionAbortsWithoutWriting() {
        assertThatThrownBy(() -> Stm.run(client, tx -> {
            tx.put("stm-abort/k", "v");
            throw new IllegalStateException("insufficient funds");
        })).isInstanceOf(IllegalStateException.class).hasMessage("insufficient funds");
        assertThat(client.kv().get("stm-abort/k").join().kvs()).isEmpty();
    }

    @Test
    void givesUpAfterTheAllowedAttempts() {
        client.kv().put("stm-give-up/x", "0").join();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> Stm.run(client.kv(), Stm.Isolation.REPEATABLE_READS, 3, tx -> {
            tx.get("stm-give-up/x");
            client.kv().put("stm-give-up/x", Integer.toString(runs.incrementAndGet())).join();
            tx.put("stm-give-up/y", "never");
        })).isInstanceOf(StmConflictException.class);
        assertThat(runs).hasValue(3);
        assertThat(client.kv().get("stm-give-up/y").join().kvs()).isEmpty();
    }
}
