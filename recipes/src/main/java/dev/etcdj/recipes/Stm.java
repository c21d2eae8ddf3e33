package dev.etcdj.recipes;

import static dev.etcdj.client.Options.revision;
import static dev.etcdj.client.Options.serializable;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Futures;
import dev.etcdj.client.GetOption;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.PutOption;
import dev.etcdj.client.TxnResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Software transactional memory over etcd, like Go's {@code concurrency.STM}: the function reads
 * and writes through a {@link Tx}; its writes are buffered and committed in one transaction that
 * holds only if what it read has not changed since. On a conflict the function runs again, on
 * fresh data, until a commit succeeds. The function may therefore run several times: it should
 * have no side effects besides its {@code Tx} calls. An exception it throws aborts the
 * transaction (nothing is written) and propagates.
 * <pre>{@code
 * Stm.run(client, tx -> {
 *     long a = Long.parseLong(tx.get("accounts/a"));
 *     long b = Long.parseLong(tx.get("accounts/b"));
 *     tx.put("accounts/a", Long.toString(a - 10));
 *     tx.put("accounts/b", Long.toString(b + 10));
 * });
 * }</pre>
 * Calls block the running thread; run it off any event-loop or callback thread.
 */
public final class Stm {

    private Stm() {}

    /** How isolated a transaction is from concurrent ones, as Go's STM defines the levels. */
    public enum Isolation {
        /**
         * Every read sees the store at the revision of the first read (a snapshot), and the commit
         * fails if any key read or written changed since: serializable, without write skew. The
         * default, as in Go.
         */
        SERIALIZABLE_SNAPSHOT,
        /** Reads see the snapshot of the first read; the commit fails if any key read changed since. */
        SERIALIZABLE,
        /** Each key is read once and kept; the commit fails if any key read changed since. */
        REPEATABLE_READS,
        /** No conflict checks: reads see whatever is committed when they run. */
        READ_COMMITTED
    }

    /** The work of a transaction. */
    @FunctionalInterface
    public interface Apply {
        void apply(Tx tx);
    }

    /** What a transaction's function reads and writes through. Not thread-safe: one function, one thread. */
    public interface Tx {
        /** The key's value, "" when it does not exist (as in Go); a value written earlier in this transaction wins. */
        String get(String key);

        /** The key's value, empty when it does not exist; a value written earlier in this transaction wins. */
        Optional<Bytes> get(Bytes key);

        /** The key's mod revision as read (0 when it does not exist); ignores this transaction's own writes. */
        long rev(String key);

        long rev(Bytes key);

        void put(String key, String value, PutOption... options);

        void put(Bytes key, Bytes value, PutOption... options);

        void delete(String key);

        void delete(Bytes key);
    }

    /** Runs {@code apply} with {@link Isolation#SERIALIZABLE_SNAPSHOT} until it commits. */
    public static TxnResponse run(EtcdClient client, Apply apply) {
        return run(client.kv(), Isolation.SERIALIZABLE_SNAPSHOT, apply);
    }

    public static TxnResponse run(EtcdClient client, Isolation isolation, Apply apply) {
        return run(client.kv(), isolation, apply);
    }

    /** Runs on any KV client, e.g. a {@link Namespace#kv namespaced} one. */
    public static TxnResponse run(KvClient kv, Isolation isolation, Apply apply) {
        return run(kv, isolation, Integer.MAX_VALUE, apply);
    }

    /**
     * Like the others, but gives up after {@code maxAttempts} conflicting commits with
     * {@link StmConflictException}.
     */
    public static TxnResponse run(KvClient kv, Isolation isolation, int maxAttempts, Apply apply) {
        Objects.requireNonNull(kv, "kv");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(apply, "apply");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        StmTx tx = new StmTx(kv, isolation);
        for (int attempt = 1; ; attempt++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("interrupted before the STM committed");
            }
            tx.reset();
            apply.apply(tx);
            TxnResponse resp = tx.commit();
            if (resp != null) {
                return resp;
            }
            if (attempt >= maxAttempts) {
                throw new StmConflictException(attempt);
            }
        }
    }

    private static final class StmTx implements Tx {
        private final KvClient kv;
        private final Isolation isolation;
        /** What each key read returned: the commit checks these have not changed. */
        private final Map<Bytes, GetResponse> reads = new HashMap<>();
        /** Buffered writes in order; a delete is an {@link Op.Delete}. Later writes of a key replace earlier ones. */
        private final Map<Bytes, Op> writes = new LinkedHashMap<>();
        /** Serializable levels: fresh reads of the conflicting keys, got for free from the failed commit. */
        private final Map<Bytes, GetResponse> prefetched = new HashMap<>();
        /** Serializable levels: the revision every read of this attempt is made at; 0 before the first read. */
        private long readRevision;

        StmTx(KvClient kv, Isolation isolation) {
            this.kv = kv;
            this.isolation = isolation;
        }

        void reset() {
            reads.clear();
            writes.clear();
            readRevision = 0;
        }

        private boolean snapshotReads() {
            return isolation == Isolation.SERIALIZABLE || isolation == Isolation.SERIALIZABLE_SNAPSHOT;
        }

        private GetResponse fetch(Bytes key) {
            GetResponse resp = reads.get(key);
            if (resp != null) {
                return resp;
            }
            resp = prefetched.remove(key);
            if (resp == null) {
                GetOption[] options;
                if (snapshotReads() && readRevision > 0) {
                    options = new GetOption[] {revision(readRevision), serializable()};
                } else if (snapshotReads()) {
                    options = new GetOption[0];
                } else {
                    // Go reads locally here too: a stale read only costs a retry, the commit checks it.
                    options = new GetOption[] {serializable()};
                }
                resp = Futures.await(kv.get(key, options));
            }
            if (snapshotReads() && readRevision == 0) {
                // The first read fixes the snapshot every later read of this attempt sees.
                readRevision = resp.header().revision();
            }
            reads.put(key, resp);
            return resp;
        }

        @Override
        public String get(String key) {
            return get(Bytes.of(key)).map(Bytes::toStringUtf8).orElse("");
        }

        @Override
        public Optional<Bytes> get(Bytes key) {
            Op written = writes.get(key);
            if (written instanceof Op.Put p) {
                return Optional.of(p.value());
            } else if (written != null) {
                return Optional.empty();
            }
            List<KeyValue> kvs = fetch(key).kvs();
            return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0).value());
        }

        @Override
        public long rev(String key) {
            return rev(Bytes.of(key));
        }

        @Override
        public long rev(Bytes key) {
            List<KeyValue> kvs = fetch(key).kvs();
            return kvs.isEmpty() ? 0 : kvs.get(0).modRevision();
        }

        @Override
        public void put(String key, String value, PutOption... options) {
            put(Bytes.of(key), Bytes.of(value), options);
        }

        @Override
        public void put(Bytes key, Bytes value, PutOption... options) {
            writes.remove(key); // keep the order of last writes
            writes.put(key, Op.put(key, value, options));
        }

        @Override
        public void delete(String key) {
            delete(Bytes.of(key));
        }

        @Override
        public void delete(Bytes key) {
            writes.remove(key);
            writes.put(key, Op.delete(key));
        }

        private List<Cmp> conflicts() {
            List<Cmp> cmps = new ArrayList<>();
            if (isolation == Isolation.READ_COMMITTED) {
                return cmps;
            }
            long firstRevision = Long.MAX_VALUE - 1;
            for (Map.Entry<Bytes, GetResponse> e : reads.entrySet()) {
                List<KeyValue> kvs = e.getValue().kvs();
                // Unchanged since read: same mod revision, or still absent (mod revision 0).
                cmps.add(Cmp.modRevision(e.getKey()).equalTo(kvs.isEmpty() ? 0 : kvs.get(0).modRevision()));
                firstRevision = Math.min(firstRevision, e.getValue().header().revision());
            }
            if (isolation == Isolation.SERIALIZABLE_SNAPSHOT) {
                // Keys only written must not have changed after the snapshot either (no write skew).
                for (Bytes key : writes.keySet()) {
                    cmps.add(Cmp.modRevision(key).less(firstRevision + 1));
                }
            }
            return cmps;
        }

        /** The commit's response, or null on a conflict (then the next attempt starts on fresh reads). */
        TxnResponse commit() {
            List<Bytes> readKeys = new ArrayList<>(reads.keySet());
            Op.Txn txn = Op.txn().when(conflicts().toArray(Cmp[]::new)).then(writes.values().toArray(Op[]::new));
            if (snapshotReads()) {
                // On failure, read the keys again in the same round trip for the next attempt.
                for (Bytes key : readKeys) {
                    txn = txn.orElse(Op.get(key));
                }
            }
            TxnResponse resp = Futures.await(kv.commit(txn));
            if (resp.succeeded()) {
                prefetched.clear();
                return resp;
            }
            prefetched.clear();
            if (snapshotReads()) {
                for (int i = 0; i < readKeys.size(); i++) {
                    GetResponse g = resp.getResponse(i);
                    // The reads happened at the txn's revision: give them its header.
                    prefetched.put(readKeys.get(i), new GetResponse(resp.header(), g.kvs(), g.more(), g.count()));
                }
            }
            return null;
        }
    }
}
