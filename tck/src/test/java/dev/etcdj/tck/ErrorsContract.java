package dev.etcdj.tck;

import static dev.etcdj.client.Options.ignoreLease;
import static dev.etcdj.client.Options.ignoreValue;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.DuplicateKeyException;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.KeyNotFoundException;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.LeaseProvidedException;
import dev.etcdj.client.Op;
import dev.etcdj.client.RequestTooLargeException;
import dev.etcdj.client.TooManyOpsException;
import dev.etcdj.client.ValueProvidedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every error a KV call can meet: the right exception type, etcd's error, status class and text,
 * and no change to the store. Runs against a target with etcd's defaults (128 ops per txn,
 * 1.5 MiB requests).
 */
public abstract class ErrorsContract extends ContractSupport {

    /** etcd's default {@code --max-txn-ops}. */
    protected static final int MAX_TXN_OPS = 128;
    /** etcd's default {@code --max-request-bytes}: 1.5 MiB. */
    protected static final int MAX_REQUEST_BYTES = 1572864;

    @Test
    void emptyKeyIsRejectedByEveryKvCall() {
        long before = currentRevision();
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY, () -> kv.put("", "v"));
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY, () -> kv.get(""));
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY, () -> kv.delete(""));
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY,
                () -> kv.commit(Op.txn().when(Cmp.version("").equalTo(0))));
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY,
                () -> kv.commit(Op.txn().then(Op.put(key("ok"), "v"), Op.put("", "v"))));
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY,
                () -> kv.commit(Op.txn().orElse(Op.get(""))));
        assertThat(currentRevision()).isEqualTo(before);
        // With a prefix the empty key means "every key": no error.
        assertThat(kv.get("", prefix()).count()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void readingACompactedRevisionFails() {
        long r1 = kv.put(key("k"), "v1").header().revision();
        long r2 = kv.put(key("k"), "v2").header().revision();
        kv.compact(r2);
        CompactedException e = fails(CompactedException.class, EtcdError.COMPACTED,
                () -> kv.get(key("k"), revision(r1)));
        assertThat(e.compactRevision()).isIn(0L, r2);
    }

    @Test
    void readingAFutureRevisionFails() {
        long now = kv.put(key("k"), "v").header().revision();
        fails(FutureRevisionException.class, EtcdError.FUTURE_REV, () -> kv.get(key("k"), revision(now + 1000)));
        fails(FutureRevisionException.class, EtcdError.FUTURE_REV,
                () -> kv.commit(Op.txn().then(Op.put(key("w"), "w"), Op.get(key("k"), revision(now + 1000)))));
        assertThat(kv.get(key("w")).kvs()).isEmpty();
        assertThat(currentRevision()).isEqualTo(now);
    }

    @Test
    void tooManyOpsInATxn() {
        long before = currentRevision();
        fails(TooManyOpsException.class, EtcdError.TOO_MANY_OPS, () -> kv.commit(Op.txn().then(puts("s", MAX_TXN_OPS + 1))));
        fails(TooManyOpsException.class, EtcdError.TOO_MANY_OPS, () -> kv.commit(Op.txn().orElse(puts("f", MAX_TXN_OPS + 1))));
        Cmp[] cmps = new Cmp[MAX_TXN_OPS + 1];
        for (int i = 0; i < cmps.length; i++) {
            cmps[i] = Cmp.version(key("c" + i)).equalTo(0);
        }
        fails(TooManyOpsException.class, EtcdError.TOO_MANY_OPS, () -> kv.commit(Op.txn().when(cmps)));
        assertThat(currentRevision()).isEqualTo(before);

        // Exactly the limit is fine.
        assertThat(kv.commit(Op.txn().then(puts("ok", MAX_TXN_OPS))).responses()).hasSize(MAX_TXN_OPS);
    }

    @Test
    void aNestedTxnGetsWhatTheOuterLeavesOfTheOpBudget() {
        // An outer branch of 100 ops leaves 28 for a nested txn.
        Op[] tooMany = outerWithNested("a", 100, MAX_TXN_OPS - 100 + 1);
        fails(TooManyOpsException.class, EtcdError.TOO_MANY_OPS, () -> kv.commit(Op.txn().then(tooMany)));
        Op[] fits = outerWithNested("b", 100, MAX_TXN_OPS - 100);
        assertThat(kv.commit(Op.txn().then(fits)).succeeded()).isTrue();
    }

    private Op[] outerWithNested(String tag, int outer, int nested) {
        Op[] ops = Arrays.copyOf(puts(tag + "-outer", outer - 1), outer);
        ops[outer - 1] = Op.txn().then(puts(tag + "-nested", nested));
        return ops;
    }

    @Test
    void duplicateKeysInOneBranch() {
        long before = currentRevision();
        fails(DuplicateKeyException.class, EtcdError.DUPLICATE_KEY,
                () -> kv.commit(Op.txn().then(Op.put(key("k"), "1"), Op.put(key("k"), "2"))));
        fails(DuplicateKeyException.class, EtcdError.DUPLICATE_KEY,
                () -> kv.commit(Op.txn().orElse(Op.put(key("k"), "1"), Op.put(key("k"), "2"))));
        // A put inside a range the same branch deletes.
        fails(DuplicateKeyException.class, EtcdError.DUPLICATE_KEY,
                () -> kv.commit(Op.txn().then(Op.delete(key("dir/"), prefix()), Op.put(key("dir/x"), "1"))));
        // A nested txn counts as part of its parent's branch.
        fails(DuplicateKeyException.class, EtcdError.DUPLICATE_KEY,
                () -> kv.commit(Op.txn().then(Op.put(key("n"), "1"), Op.txn().then(Op.put(key("n"), "2")))));
        assertThat(currentRevision()).isEqualTo(before);

        // The same key in both branches is fine, as are overlapping deletes.
        assertThat(kv.commit(Op.txn().then(Op.put(key("k"), "s")).orElse(Op.put(key("k"), "f"))).succeeded()).isTrue();
        assertThat(kv.commit(Op.txn().then(Op.delete(key("dir/"), prefix()), Op.delete(key("dir/x")))).succeeded())
                .isTrue();
    }

    @Test
    void requestTooLarge() {
        long before = currentRevision();
        Bytes tooLarge = Bytes.wrap(new byte[MAX_REQUEST_BYTES + 64 * 1024]);
        fails(RequestTooLargeException.class, EtcdError.REQUEST_TOO_LARGE, () -> kv.put(bkey("big"), tooLarge));
        assertThat(currentRevision()).isEqualTo(before);
        // Just under the limit is fine.
        Bytes fits = Bytes.wrap(new byte[MAX_REQUEST_BYTES - 64 * 1024]);
        kv.put(bkey("big"), fits);
        assertThat(kv.get(key("big")).kvs().get(0).value().size()).isEqualTo(fits.size());
        kv.delete(key("big"));
    }

    @Test
    void requestBeyondTheTransportLimitFailsAsResourceExhausted() {
        long before = currentRevision();
        Bytes huge = Bytes.wrap(new byte[MAX_REQUEST_BYTES + 1024 * 1024]);
        Throwable t = catchThrowable(() -> kv.put(bkey("huge"), huge));
        assertThat(t).isInstanceOf(EtcdException.class);
        assertThat(((EtcdException) t).code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
        assertThat(currentRevision()).isEqualTo(before);
    }

    @Test
    void aResponseOverTheClientsInboundLimitFailsWithGrpcGosText() {
        kv.put(key("big"), "x".repeat(1000));
        try (EtcdClient small = EtcdClient.builder().endpoints(endpoints()).maxInboundMessageBytes(100).build()) {
            Throwable t = catchThrowable(() -> small.kv().blocking().get(key("big")));
            assertThat(t).isInstanceOf(EtcdException.class).hasMessageStartingWith("grpc: received message larger than max (");
            assertThat(((EtcdException) t).code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
        }
    }

    @Test
    void putWithAnUnknownLease() {
        long before = currentRevision();
        fails(LeaseNotFoundException.class, EtcdError.LEASE_NOT_FOUND, () -> kv.put(key("k"), "v", lease(0x7eadbeefL)));
        fails(LeaseNotFoundException.class, EtcdError.LEASE_NOT_FOUND,
                () -> kv.commit(Op.txn().then(Op.put(key("k"), "v", lease(0x7eadbeefL)))));
        assertThat(currentRevision()).isEqualTo(before);
    }

    @Test
    void ignoreValueWithAValue() {
        kv.put(key("k"), "v");
        long before = currentRevision();
        fails(ValueProvidedException.class, EtcdError.VALUE_PROVIDED, () -> kv.put(key("k"), "x", ignoreValue()));
        assertThat(currentRevision()).isEqualTo(before);
    }

    @Test
    void ignoreLeaseWithALease() {
        long leaseId = result(client.lease().grant(60)).leaseId();
        try {
            kv.put(key("k"), "v");
            fails(LeaseProvidedException.class, EtcdError.LEASE_PROVIDED,
                    () -> kv.put(key("k"), "x", ignoreLease(), lease(leaseId)));
        } finally {
            result(client.lease().revoke(leaseId));
        }
    }

    @Test
    void ignoreValueOrLeaseOnAMissingKey() {
        long before = currentRevision();
        fails(KeyNotFoundException.class, EtcdError.KEY_NOT_FOUND, () -> kv.put(bkey("missing"), Bytes.EMPTY, ignoreValue()));
        fails(KeyNotFoundException.class, EtcdError.KEY_NOT_FOUND, () -> kv.put(key("missing"), "v", ignoreLease()));
        fails(KeyNotFoundException.class, EtcdError.KEY_NOT_FOUND,
                () -> kv.commit(Op.txn().then(Op.put(bkey("missing"), Bytes.EMPTY, ignoreValue()))));
        assertThat(currentRevision()).isEqualTo(before);
    }

    @Test
    void asyncCallsFailTheirFutureWithTheTypedExceptionAsCause() {
        CompletableFuture<?> f = client.kv().put(key("k"), "v", lease(0x7eadbeefL));
        assertThat(f).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void errorsLeaveTheConnectionUsable() {
        fails(EmptyKeyException.class, EtcdError.EMPTY_KEY, () -> kv.put("", "v"));
        long rev = kv.put(key("k"), "v").header().revision();
        assertThat(kv.get(key("k")).kvs().get(0).modRevision()).isEqualTo(rev);
    }

    // ---- helpers

    private Op[] puts(String tag, int n) {
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(Op.put(key(tag + "/" + i), "v"));
        }
        return ops.toArray(new Op[0]);
    }

    /** Asserts the call throws exactly this kind of etcd error, with etcd's text and status class. */
    protected static <T extends EtcdException> T fails(Class<T> type, EtcdError error, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected %s", error).isInstanceOf(type);
        T e = type.cast(t);
        assertThat(e.error()).isEqualTo(error);
        assertThat(e.code()).isEqualTo(error.code());
        assertThat(e.getMessage()).contains(error.message());
        return e;
    }
}
