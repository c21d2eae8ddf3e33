package dev.etcdj.recipes;

import static dev.etcdj.client.Options.lastKey;
import static dev.etcdj.client.Options.lease;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key allocation of Go's experimental recipes (queue, barriers, read-write lock), with the same
 * key formats so Java and Go processes can share them: a key put only if absent, a unique key
 * {@code <prefix>/<unix nanos>}, a sequential key {@code <prefix>/<%016d>}, and "claim" = delete a
 * key only while it is still the version we read.
 */
final class RecipeKeys {

    /** No lease: Go's {@code clientv3.NoLease}. */
    static final long NO_LEASE = 0;

    /** The last unique-key timestamp handed out here, so two keys from one process never collide. */
    private static final AtomicLong LAST_NANOS = new AtomicLong();

    private RecipeKeys() {}

    /** Puts the key only if it does not exist; the revision of the put, or 0 when the key existed. */
    static CompletableFuture<Long> putIfAbsent(EtcdClient client, Bytes key, Bytes value, long leaseId) {
        Op.Put put = leaseId == NO_LEASE ? Op.put(key, value) : Op.put(key, value, lease(leaseId));
        return client.kv().txn()
                .when(Cmp.version(key).equalTo(0))
                .then(put)
                .commit()
                .thenApply(resp -> resp.succeeded() ? resp.header().revision() : 0L);
    }

    /** Like {@link #putIfAbsent} but fails with {@link KeyExistsException} when the key exists. */
    static CompletableFuture<Long> putNew(EtcdClient client, Bytes key, Bytes value, long leaseId) {
        return putIfAbsent(client, key, value, leaseId).thenApply(rev -> {
            if (rev == 0) {
                throw new KeyExistsException(key.toStringUtf8());
            }
            return rev;
        });
    }

    /** A new key {@code <prefix>/<wall-clock nanos>} holding {@code value}, as Go's newUniqueKV. */
    static CompletableFuture<KeyValueRef> putUnique(EtcdClient client, String prefix, Bytes value, long leaseId) {
        Bytes key = Bytes.of(prefix + "/" + nextNanos());
        return putIfAbsent(client, key, value, leaseId).thenCompose(rev -> rev == 0
                ? putUnique(client, prefix, value, leaseId)
                : CompletableFuture.completedFuture(new KeyValueRef(key, rev)));
    }

    /**
     * A new key {@code <prefix>/<%016d>} one above the last one under the prefix, as Go's
     * newSequentialKV. The marker key {@code "__" + prefix} is rewritten in the same transaction, so
     * two writers that read the same last key cannot both allocate its successor.
     */
    static CompletableFuture<KeyValueRef> putSequential(EtcdClient client, String prefix, Bytes value) {
        return client.kv().get(prefix, lastKey()).thenCompose(last -> {
            long next = 0;
            if (!last.kvs().isEmpty()) {
                String lastKey = last.kvs().get(0).key().toStringUtf8();
                next = parseLeadingNumber(lastKey.substring(lastKey.lastIndexOf('/') + 1)) + 1;
            }
            Bytes key = Bytes.of(prefix + "/" + String.format("%016d", next));
            Bytes marker = Bytes.of("__" + prefix);
            return client.kv().txn()
                    .when(Cmp.modRevision(marker).less(last.header().revision() + 1))
                    .then(Op.put(marker, Bytes.EMPTY), Op.put(key, value))
                    .commit()
                    .thenCompose(resp -> resp.succeeded()
                            ? CompletableFuture.completedFuture(new KeyValueRef(key, resp.header().revision()))
                            : putSequential(client, prefix, value));
        });
    }

    /** Deletes the key only if it was last modified at {@code modRevision}: true when this call deleted it. */
    static CompletableFuture<Boolean> deleteAt(EtcdClient client, Bytes key, long modRevision) {
        return client.kv().txn()
                .when(Cmp.modRevision(key).equalTo(modRevision))
                .then(Op.delete(key))
                .commit()
                .thenApply(resp -> resp.succeeded());
    }

    /** Claims the first of these keys that nobody else claimed first, in order; empty when all are gone. */
    static CompletableFuture<Optional<KeyValue>> claimFirst(EtcdClient client, List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        KeyValue first = kvs.get(0);
        return deleteAt(client, first.key(), first.modRevision()).thenCompose(won -> won
                ? CompletableFuture.completedFuture(Optional.of(first))
                : claimFirst(client, kvs.subList(1, kvs.size())));
    }

    /** Go's {@code fmt.Sscanf(s, "%d", &n)}: the leading decimal number of a key's last segment. */
    static long parseLeadingNumber(String s) {
        int end = 0;
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+')) {
            end++;
        }
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(s.substring(0, end));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("not a sequential key: " + s, e);
        }
    }

    /** Unix time in nanoseconds, strictly increasing within this process. */
    static long nextNanos() {
        Instant now = Instant.now();
        long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return LAST_NANOS.updateAndGet(last -> Math.max(last + 1, wall));
    }

    /** A key this process created, with the revision that created it. */
    record KeyValueRef(Bytes key, long revision) {}
}
