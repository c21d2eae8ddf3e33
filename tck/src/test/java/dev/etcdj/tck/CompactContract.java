package dev.etcdj.tck;

import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import org.junit.jupiter.api.Test;

/**
 * Compaction: history below the compact revision is gone, the compact revision itself and
 * everything after it stay readable, and compacting again or into the future fails.
 */
public abstract class CompactContract extends ContractSupport {

    @Test
    void readsBelowTheCompactRevisionFailAndFromItOnWork() {
        long r1 = kv.put(key("k"), "v1").header().revision();
        long r2 = kv.put(key("k"), "v2").header().revision();
        long r3 = kv.put(key("k"), "v3").header().revision();

        CompactResponse c = kv.compact(r2);
        assertThat(c.header().revision()).isGreaterThanOrEqualTo(r3);

        CompactedException e = catchCompacted(() -> kv.get(key("k"), revision(r1)));
        // A get's error carries no compact revision on the wire; when the client knows it, it must be right.
        assertThat(e.compactRevision()).isIn(0L, r2);

        assertThat(kv.get(key("k"), revision(r2)).kvs()).containsExactly(
                new KeyValue(bkey("k"), Bytes.of("v2"), r1, r2, 2, 0));
        assertThat(kv.get(key("k"), revision(r3)).kvs().get(0).value()).isEqualTo(Bytes.of("v3"));
        // Compaction keeps each key's metadata: create revision and version survive.
        assertThat(kv.get(key("k")).kvs()).containsExactly(new KeyValue(bkey("k"), Bytes.of("v3"), r1, r3, 3, 0));
    }

    @Test
    void compactingAtOrBelowTheCompactRevisionAgainFails() {
        kv.put(key("k"), "v1");
        long r2 = kv.put(key("k"), "v2").header().revision();
        kv.compact(r2);
        catchCompacted(() -> kv.compact(r2));
        catchCompacted(() -> kv.compact(r2 - 1));
        long r3 = kv.put(key("k"), "v3").header().revision();
        kv.compact(r3);
        catchCompacted(() -> kv.get(key("k"), revision(r2)));
    }

    @Test
    void compactingAFutureRevisionFails() {
        long now = kv.put(key("k"), "v").header().revision();
        assertThatThrownBy(() -> kv.compact(now + 100))
                .isInstanceOf(FutureRevisionException.class)
                .satisfies(t -> assertThat(((EtcdException) t).error()).isEqualTo(EtcdError.FUTURE_REV));
        // Nothing was compacted: the whole history is still there.
        assertThat(kv.get(key("k"), revision(now)).kvs()).hasSize(1);
    }

    @Test
    void physicalCompactionReturnsOnceHistoryIsGone() {
        long r1 = kv.put(key("k"), "v1").header().revision();
        long r2 = kv.put(key("k"), "v2").header().revision();
        kv.put(key("k"), "v3");
        kv.compact(r2, true);
        catchCompacted(() -> kv.get(key("k"), revision(r1)));
        assertThat(result(client.maintenance().hashKv(endpoints().get(0), 0)).compactRevision()).isEqualTo(r2);
    }

    @Test
    void compactionDropsTheHistoryOfDeletedKeys() {
        kv.put(key("gone"), "v");
        long deleted = kv.delete(key("gone")).header().revision();
        kv.put(key("kept"), "v");
        kv.compact(deleted, true);
        assertThat(kv.get(key("gone"), revision(deleted)).kvs()).isEmpty();
        assertThat(kv.get(key("gone")).kvs()).isEmpty();
        catchCompacted(() -> kv.get(key("gone"), revision(deleted - 1)));
        // A new incarnation starts over.
        long again = kv.put(key("gone"), "back").header().revision();
        assertThat(kv.get(key("gone")).kvs()).containsExactly(
                new KeyValue(bkey("gone"), Bytes.of("back"), again, again, 1, 0));
    }

    @Test
    void aTxnReadingACompactedRevisionFailsAsAWhole() {
        long r1 = kv.put(key("k"), "v1").header().revision();
        long r2 = kv.put(key("k"), "v2").header().revision();
        kv.compact(r2);
        catchCompacted(() -> kv.commit(Op.txn().then(Op.put(key("written"), "w"), Op.get(key("k"), revision(r1)))));
        assertThat(kv.get(key("written")).kvs()).isEmpty();
        assertThat(currentRevision()).isEqualTo(r2);
    }

    @Test
    void compactingAtTheCurrentRevisionKeepsEveryLiveKey() {
        kv.put(key("a"), "1");
        kv.put(key("b"), "2");
        long now = kv.delete(key("a")).header().revision();
        kv.compact(now, true);
        assertThat(kv.get(key("b")).kvs().get(0).value()).isEqualTo(Bytes.of("2"));
        assertThat(kv.get(key("b"), revision(now)).kvs()).hasSize(1);
        long next = kv.put(key("c"), "3").header().revision();
        assertThat(next).isEqualTo(now + 1);
    }

    private static CompactedException catchCompacted(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(CompactedException.class);
        CompactedException e = (CompactedException) t;
        assertThat(e.error()).isEqualTo(EtcdError.COMPACTED);
        assertThat(e.code()).isEqualTo(EtcdException.Code.OUT_OF_RANGE);
        assertThat(e.getMessage()).contains("required revision has been compacted");
        return e;
    }
}
