package dev.etcdj.tck;

import static dev.etcdj.client.Options.countOnly;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.limit;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.prevKv;
import static dev.etcdj.client.Options.range;
import static dev.etcdj.client.Options.sort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.client.Txn;
import dev.etcdj.client.TxnResponse;
import org.junit.jupiter.api.Test;

/** Transactions: every compare target and result, ranges in compares, both branches, nesting, per-op results. */
public abstract class TxnContract extends ContractSupport {

    private boolean holds(Cmp cmp) {
        TxnResponse r = kv.commit(Op.txn().when(cmp));
        return r.succeeded();
    }

    @Test
    void emptyTxnSucceedsAndAddsNoRevision() {
        long before = kv.put(key("k"), "v").header().revision();
        TxnResponse r = result(client.kv().txn().commit());
        assertThat(r.succeeded()).isTrue();
        assertThat(r.responses()).isEmpty();
        assertNoNewRevision(r.header(), before);
    }

    @Test
    void valueComparesAreLexicalOnBytes() {
        kv.put(key("k"), "m");
        assertThat(holds(Cmp.value(key("k")).equalTo("m"))).isTrue();
        assertThat(holds(Cmp.value(key("k")).equalTo("x"))).isFalse();
        assertThat(holds(Cmp.value(key("k")).notEqual("x"))).isTrue();
        assertThat(holds(Cmp.value(key("k")).notEqual("m"))).isFalse();
        assertThat(holds(Cmp.value(key("k")).greater("a"))).isTrue();
        assertThat(holds(Cmp.value(key("k")).greater("m"))).isFalse();
        assertThat(holds(Cmp.value(key("k")).greater("ma"))).isFalse();
        assertThat(holds(Cmp.value(key("k")).less("z"))).isTrue();
        assertThat(holds(Cmp.value(key("k")).less("m"))).isFalse();
        assertThat(holds(Cmp.value(key("k")).less("ma"))).isTrue();

        // Unsigned byte order: 0xFF is greater than any ASCII byte.
        kv.put(bkey("bin"), Bytes.of(new byte[] {(byte) 0xFF}));
        assertThat(holds(Cmp.value(bkey("bin")).greater("z"))).isTrue();
        assertThat(holds(Cmp.value(bkey("bin")).equalTo(Bytes.of(new byte[] {(byte) 0xFF})))).isTrue();
    }

    @Test
    void valueCompareOnAMissingKeyIsAlwaysFalse() {
        assertThat(holds(Cmp.value(key("missing")).equalTo(""))).isFalse();
        assertThat(holds(Cmp.value(key("missing")).notEqual("x"))).isFalse();
        assertThat(holds(Cmp.value(key("missing")).greater(""))).isFalse();
        assertThat(holds(Cmp.value(key("missing")).less("z"))).isFalse();
    }

    @Test
    void versionCompares() {
        // A missing key compares as version 0.
        assertThat(holds(Cmp.version(key("k")).equalTo(0))).isTrue();
        kv.put(key("k"), "a");
        kv.put(key("k"), "b");
        assertThat(holds(Cmp.version(key("k")).equalTo(2))).isTrue();
        assertThat(holds(Cmp.version(key("k")).equalTo(0))).isFalse();
        assertThat(holds(Cmp.version(key("k")).greater(1))).isTrue();
        assertThat(holds(Cmp.version(key("k")).greater(2))).isFalse();
        assertThat(holds(Cmp.version(key("k")).less(3))).isTrue();
        assertThat(holds(Cmp.version(key("k")).less(2))).isFalse();
        assertThat(holds(Cmp.version(key("k")).notEqual(2))).isFalse();
        assertThat(holds(Cmp.version(key("k")).notEqual(5))).isTrue();
    }

    @Test
    void createAndModRevisionCompares() {
        long created = kv.put(key("k"), "a").header().revision();
        long modified = kv.put(key("k"), "b").header().revision();
        assertThat(holds(Cmp.createRevision(key("k")).equalTo(created))).isTrue();
        assertThat(holds(Cmp.createRevision(key("k")).equalTo(modified))).isFalse();
        assertThat(holds(Cmp.createRevision(key("k")).less(modified))).isTrue();
        assertThat(holds(Cmp.modRevision(key("k")).equalTo(modified))).isTrue();
        assertThat(holds(Cmp.modRevision(key("k")).greater(created))).isTrue();
        assertThat(holds(Cmp.modRevision(key("k")).notEqual(modified))).isFalse();
        // A missing key has create and mod revision 0.
        assertThat(holds(Cmp.createRevision(key("missing")).equalTo(0))).isTrue();
        assertThat(holds(Cmp.modRevision(key("missing")).less(1))).isTrue();
    }

    @Test
    void leaseCompares() {
        long leaseId = result(client.lease().grant(60)).leaseId();
        try {
            kv.put(key("leased"), "v", lease(leaseId));
            kv.put(key("plain"), "v");
            assertThat(holds(Cmp.lease(key("leased")).equalTo(leaseId))).isTrue();
            assertThat(holds(Cmp.lease(key("leased")).notEqual(0))).isTrue();
            assertThat(holds(Cmp.lease(key("plain")).equalTo(0))).isTrue();
            assertThat(holds(Cmp.lease(key("plain")).equalTo(leaseId))).isFalse();
            assertThat(holds(Cmp.lease(key("missing")).equalTo(0))).isTrue();
        } finally {
            result(client.lease().revoke(leaseId));
        }
    }

    @Test
    void compareWithRangeEndMustHoldForEveryKeyInTheRange() {
        kv.put(key("a"), "1");
        kv.put(key("b"), "1");
        long rc = kv.put(key("c"), "1").header().revision();
        kv.put(key("b"), "2");

        assertThat(holds(Cmp.version(key("a")).equalTo(1).withRange(key("c")))).isFalse();
        assertThat(holds(Cmp.version(key("a")).less(3).withRange(key("c")))).isTrue();
        assertThat(holds(Cmp.value(key("a")).equalTo("1").withRange(key("b")))).isTrue();
        assertThat(holds(Cmp.value(key("a")).equalTo("1").withRange(key("c")))).isFalse();
        assertThat(holds(Cmp.value(key("a")).equalTo("1").withRange(bkey("b")))).isTrue();
        assertThat(holds(Cmp.modRevision(key("a")).less(rc + 2).withRange(key("d")))).isTrue();
        assertThat(holds(Cmp.modRevision(key("a")).less(rc).withRange(key("d")))).isFalse();
    }

    @Test
    void compareWithPrefixMustHoldForEveryKeyWithThePrefix() {
        kv.put(key("dir/a"), "x");
        long rb = kv.put(key("dir/b"), "x").header().revision();
        kv.put(key("dirz"), "y");

        assertThat(holds(Cmp.value(key("dir/")).equalTo("x").withPrefix())).isTrue();
        assertThat(holds(Cmp.value(key("dir")).equalTo("x").withPrefix())).isFalse();
        assertThat(holds(Cmp.createRevision(key("dir/")).less(rb + 1).withPrefix())).isTrue();
        assertThat(holds(Cmp.createRevision(key("dir/")).less(rb).withPrefix())).isFalse();
        // An empty range: no key to compare, so a value compare fails and the others see a zero key.
        assertThat(holds(Cmp.value(key("none/")).equalTo("x").withPrefix())).isFalse();
        assertThat(holds(Cmp.version(key("none/")).equalTo(0).withPrefix())).isTrue();
    }

    @Test
    void comparesAreAnded() {
        kv.put(key("a"), "1");
        kv.put(key("b"), "2");
        assertThat(holds2(Cmp.value(key("a")).equalTo("1"), Cmp.value(key("b")).equalTo("2"))).isTrue();
        assertThat(holds2(Cmp.value(key("a")).equalTo("1"), Cmp.value(key("b")).equalTo("1"))).isFalse();
        assertThat(holds2(Cmp.value(key("a")).equalTo("2"), Cmp.value(key("b")).equalTo("2"))).isFalse();
    }

    private boolean holds2(Cmp c1, Cmp c2) {
        return kv.commit(Op.txn().when(c1, c2)).succeeded();
    }

    @Test
    void successBranchRunsEveryKindOfOpAndReportsEachResult() {
        long r0 = kv.put(key("old"), "o").header().revision();
        kv.put(key("list/1"), "l1");
        kv.put(key("list/2"), "l2");
        long rBefore = kv.put(key("list/3"), "l3").header().revision();

        TxnResponse r = result(client.kv().txn()
                .when(Cmp.version(key("old")).equalTo(1))
                .then(
                        Op.put(key("new"), "n", prevKv()),
                        Op.put(key("old"), "o2", prevKv()),
                        Op.get(key("list/"), prefix(), sort(SortTarget.KEY, SortOrder.DESCEND), limit(2)),
                        Op.delete(key("list/1"), prevKv()),
                        Op.txn().then(Op.get(key("new"))))
                .orElse(Op.put(key("failure"), "f"))
                .commit());

        long rev = rBefore + 1;
        assertThat(r.succeeded()).isTrue();
        assertThat(r.header().revision()).isEqualTo(rev);
        assertThat(r.header().clusterId()).isNotZero();
        assertThat(r.header().memberId()).isNotZero();
        assertThat(r.responses()).hasSize(5);

        PutResponse putNew = r.putResponse(0);
        assertThat(putNew.prevKv()).isEmpty();
        assertThat(putNew.header().revision()).isEqualTo(rev);

        PutResponse putOld = r.putResponse(1);
        assertThat(putOld.prevKv()).contains(new KeyValue(bkey("old"), Bytes.of("o"), r0, r0, 1, 0));

        GetResponse list = r.getResponse(2);
        assertThat(list.kvs()).extracting(kv -> kv.key().toStringUtf8()).containsExactly(key("list/3"), key("list/2"));
        assertThat(list.more()).isTrue();
        assertThat(list.count()).isEqualTo(3);
        assertThat(list.header().revision()).isEqualTo(rev);

        DeleteResponse del = r.deleteResponse(3);
        assertThat(del.deleted()).isEqualTo(1);
        assertThat(del.prevKvs()).extracting(kv -> kv.value().toStringUtf8()).containsExactly("l1");

        // A nested txn sees the writes of the ops before it.
        TxnResponse nested = r.txnResponse(4);
        assertThat(nested.succeeded()).isTrue();
        assertThat(nested.getResponse(0).kvs()).containsExactly(new KeyValue(bkey("new"), Bytes.of("n"), rev, rev, 1, 0));

        assertThat(kv.get(key("failure")).kvs()).isEmpty();
        assertThat(kv.get(key("old")).kvs().get(0)).isEqualTo(new KeyValue(bkey("old"), Bytes.of("o2"), r0, rev, 2, 0));
        assertThat(kv.get(key("list/1")).kvs()).isEmpty();
        assertThat(currentRevision()).isEqualTo(rev);
    }

    @Test
    void failureBranchRunsWhenACompareFails() {
        kv.put(key("k"), "v");
        TxnResponse r = result(client.kv().txn()
                .when(Cmp.value(key("k")).equalTo("other"))
                .then(Op.put(key("success"), "s"))
                .orElse(Op.put(key("failure"), "f"), Op.get(key("k")))
                .commit());
        assertThat(r.succeeded()).isFalse();
        assertThat(r.responses()).hasSize(2);
        assertThat(r.putResponse(0).header().revision()).isEqualTo(r.header().revision());
        assertThat(r.getResponse(1).kvs().get(0).value()).isEqualTo(Bytes.of("v"));
        assertThat(kv.get(key("success")).kvs()).isEmpty();
        assertThat(kv.get(key("failure")).kvs()).hasSize(1);
    }

    @Test
    void allWritesOfATxnShareOneRevisionAndLaterOpsSeeEarlierWrites() {
        long before = kv.put(key("seed"), "s").header().revision();
        TxnResponse r = kv.commit(Op.txn().then(
                Op.put(key("a"), "1"),
                Op.put(key("b"), "2"),
                Op.get(key(""), prefix(), countOnly()),
                Op.delete(key("seed")),
                Op.get(key("seed"))));
        assertThat(r.header().revision()).isEqualTo(before + 1);
        assertThat(r.getResponse(2).count()).isEqualTo(3);
        assertThat(r.getResponse(4).kvs()).isEmpty();
        assertThat(kv.get(key("a")).kvs().get(0).modRevision()).isEqualTo(before + 1);
        assertThat(kv.get(key("b")).kvs().get(0).modRevision()).isEqualTo(before + 1);
        assertThat(currentRevision()).isEqualTo(before + 1);
    }

    @Test
    void readOnlyTxnAddsNoRevision() {
        long before = kv.put(key("k"), "v").header().revision();
        TxnResponse r = kv.commit(Op.txn().when(Cmp.version(key("k")).equalTo(1)).then(Op.get(key("k")), Op.get(key("x"))));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.header().revision()).isEqualTo(before);
        // A delete that deletes nothing is not a change either.
        TxnResponse noop = kv.commit(Op.txn().then(Op.delete(key("missing"))));
        assertThat(noop.deleteResponse(0).deleted()).isZero();
        assertThat(currentRevision()).isEqualTo(before);
    }

    @Test
    void nestedTxnChoosesItsOwnBranch() {
        kv.put(key("outer"), "yes");
        kv.put(key("inner"), "no");
        Op.Txn inner = Op.txn()
                .when(Cmp.value(key("inner")).equalTo("yes"))
                .then(Op.put(key("inner-success"), "1"))
                .orElse(Op.put(key("inner-failure"), "1"), Op.get(key("inner")));
        TxnResponse r = kv.commit(Op.txn()
                .when(Cmp.value(key("outer")).equalTo("yes"))
                .then(inner, Op.put(key("after"), "1"))
                .orElse(Op.put(key("outer-failure"), "1")));

        assertThat(r.succeeded()).isTrue();
        TxnResponse nested = r.txnResponse(0);
        assertThat(nested.succeeded()).isFalse();
        assertThat(nested.responses()).hasSize(2);
        assertThat(nested.getResponse(1).kvs().get(0).value()).isEqualTo(Bytes.of("no"));
        assertThat(r.putResponse(1).header().revision()).isEqualTo(r.header().revision());
        assertThat(kv.get(key("inner-failure")).count()).isEqualTo(1);
        assertThat(kv.get(key("inner-success")).count()).isZero();
        assertThat(kv.get(key("outer-failure")).count()).isZero();
        assertThat(kv.get(key("after")).count()).isEqualTo(1);
    }

    @Test
    void doublyNestedTxn() {
        Op.Txn deepest = Op.txn().then(Op.put(key("deep"), "d"));
        Op.Txn middle = Op.txn().then(deepest);
        TxnResponse r = kv.commit(Op.txn().then(middle));
        assertThat(r.txnResponse(0).txnResponse(0).putResponse(0)).isNotNull();
        assertThat(kv.get(key("deep")).kvs().get(0).modRevision()).isEqualTo(r.header().revision());
    }

    @Test
    void theSameKeyMayBeWrittenInBothBranchesAndReadAndWrittenInOne() {
        TxnResponse r = kv.commit(Op.txn()
                .when(Cmp.version(key("k")).equalTo(0))
                .then(Op.get(key("k")), Op.put(key("k"), "s"), Op.delete(key("x")), Op.delete(key("x"), prefix()))
                .orElse(Op.put(key("k"), "f")));
        assertThat(r.succeeded()).isTrue();
        assertThat(r.getResponse(0).kvs()).isEmpty();
        assertThat(kv.get(key("k")).kvs().get(0).value()).isEqualTo(Bytes.of("s"));
    }

    @Test
    void aTxnBuilderIsImmutable() {
        kv.put(key("k"), "v");
        Txn base = client.kv().txn().when(Cmp.value(key("k")).equalTo("v"));
        Txn withThen = base.then(Op.put(key("a"), "1"));
        Txn withElse = base.orElse(Op.put(key("b"), "1"));
        assertThat(result(base.commit()).responses()).isEmpty();
        assertThat(result(withElse.commit()).responses()).isEmpty();
        assertThat(result(withThen.commit()).responses()).hasSize(1);
        assertThat(withThen.toOp().success()).hasSize(1);
        assertThat(withThen.toOp().compares()).hasSize(1);
        assertThat(withThen.toOp().failure()).isEmpty();
        assertThat(kv.get(key("b")).kvs()).isEmpty();
    }

    @Test
    void deleteRangeInsideATxn() {
        kv.put(key("a"), "1");
        kv.put(key("b"), "2");
        kv.put(key("c"), "3");
        TxnResponse r = kv.commit(Op.txn().then(Op.delete(key("a"), range(key("c")), prevKv())));
        assertThat(r.deleteResponse(0).deleted()).isEqualTo(2);
        assertThat(r.deleteResponse(0).prevKvs()).extracting(kv -> kv.value().toStringUtf8()).containsExactly("1", "2");
        assertThat(kv.get(key(""), prefix()).kvs()).extracting(kv -> kv.key().toStringUtf8()).containsExactly(key("c"));
    }

    @Test
    void casLoopIncrementsACounter() {
        kv.put(key("counter"), "0");
        for (int i = 0; i < 5; i++) {
            KeyValue cur = kv.get(key("counter")).kvs().get(0);
            int next = Integer.parseInt(cur.value().toStringUtf8()) + 1;
            TxnResponse r = kv.commit(Op.txn()
                    .when(Cmp.modRevision(key("counter")).equalTo(cur.modRevision()))
                    .then(Op.put(key("counter"), Integer.toString(next))));
            assertThat(r.succeeded()).isTrue();
        }
        // A stale compare loses.
        TxnResponse stale = kv.commit(Op.txn()
                .when(Cmp.version(key("counter")).equalTo(1))
                .then(Op.put(key("counter"), "lost")));
        assertThat(stale.succeeded()).isFalse();
        assertThat(kv.get(key("counter")).kvs().get(0).value()).isEqualTo(Bytes.of("5"));
        assertThat(kv.get(key("counter")).kvs().get(0).version()).isEqualTo(6);
    }
}
