package dev.etcdj.tck;

import static dev.etcdj.client.Options.countOnly;
import static dev.etcdj.client.Options.firstCreate;
import static dev.etcdj.client.Options.firstKey;
import static dev.etcdj.client.Options.firstRev;
import static dev.etcdj.client.Options.fromKey;
import static dev.etcdj.client.Options.ignoreLease;
import static dev.etcdj.client.Options.ignoreValue;
import static dev.etcdj.client.Options.keysOnly;
import static dev.etcdj.client.Options.lastCreate;
import static dev.etcdj.client.Options.lastKey;
import static dev.etcdj.client.Options.lastRev;
import static dev.etcdj.client.Options.lease;
import static dev.etcdj.client.Options.limit;
import static dev.etcdj.client.Options.maxCreateRevision;
import static dev.etcdj.client.Options.maxModRevision;
import static dev.etcdj.client.Options.minCreateRevision;
import static dev.etcdj.client.Options.minModRevision;
import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.prevKv;
import static dev.etcdj.client.Options.range;
import static dev.etcdj.client.Options.revision;
import static dev.etcdj.client.Options.serializable;
import static dev.etcdj.client.Options.sort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.client.TxnResponse;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Put, get, delete and execute: every option, every response field, revisions and versions, any bytes. */
public abstract class KvContract extends ContractSupport {

    // ---- put

    @Test
    void putThenGetReturnsTheKeyWithItsRevisions() {
        PutResponse put = kv.put(key("k"), "v1");
        long rev = put.header().revision();
        assertThat(rev).isGreaterThan(1);
        assertThat(put.prevKv()).isEmpty();

        GetResponse get = kv.get(key("k"));
        assertThat(get.header().revision()).isEqualTo(rev);
        assertThat(get.header().clusterId()).isNotZero();
        assertThat(get.header().memberId()).isNotZero();
        assertThat(get.header().raftTerm()).isPositive();
        assertThat(get.count()).isEqualTo(1);
        assertThat(get.more()).isFalse();
        assertThat(get.kvs()).containsExactly(
                new KeyValue(bkey("k"), Bytes.of("v1"), rev, rev, 1, 0));
    }

    @Test
    void eachPutAddsOneRevision() {
        long r1 = kv.put(key("a"), "1").header().revision();
        long r2 = kv.put(key("b"), "2").header().revision();
        long r3 = kv.put(key("a"), "3").header().revision();
        assertThat(r2).isEqualTo(r1 + 1);
        assertThat(r3).isEqualTo(r2 + 1);
        assertThat(currentRevision()).isEqualTo(r3);
    }

    @Test
    void versionsAndRevisionsAcrossPutDeleteAndReput() {
        long created = kv.put(key("k"), "a").header().revision();
        long second = kv.put(key("k"), "a").header().revision(); // same value still counts as a put
        KeyValue kv2 = kv.get(key("k")).kvs().get(0);
        assertThat(kv2.createRevision()).isEqualTo(created);
        assertThat(kv2.modRevision()).isEqualTo(second);
        assertThat(kv2.version()).isEqualTo(2);

        DeleteResponse del = kv.delete(key("k"));
        assertThat(del.deleted()).isEqualTo(1);
        assertThat(del.header().revision()).isEqualTo(second + 1);
        assertThat(kv.get(key("k")).kvs()).isEmpty();

        long recreated = kv.put(key("k"), "b").header().revision();
        assertThat(recreated).isEqualTo(second + 2);
        assertThat(kv.get(key("k")).kvs()).containsExactly(
                new KeyValue(bkey("k"), Bytes.of("b"), recreated, recreated, 1, 0));

        // The old incarnation is still readable at its revisions.
        assertThat(kv.get(key("k"), revision(second)).kvs()).containsExactly(
                new KeyValue(bkey("k"), Bytes.of("a"), created, second, 2, 0));
        assertThat(kv.get(key("k"), revision(second + 1)).kvs()).isEmpty();
    }

    @Test
    void putWithPrevKvReturnsThePreviousState() {
        PutResponse first = kv.put(key("k"), "old", prevKv());
        assertThat(first.prevKv()).isEmpty();
        long rev = first.header().revision();

        PutResponse second = kv.put(key("k"), "new", prevKv());
        assertThat(second.prevKv()).contains(new KeyValue(bkey("k"), Bytes.of("old"), rev, rev, 1, 0));

        PutResponse without = kv.put(key("k"), "newer");
        assertThat(without.prevKv()).isEmpty();
    }

    @Test
    void putWithLeaseAttachesAndPlainPutDetaches() {
        long leaseId = result(client.lease().grant(60)).leaseId();
        try {
            kv.put(key("k"), "v", lease(leaseId));
            assertThat(kv.get(key("k")).kvs().get(0).lease()).isEqualTo(leaseId);
            assertThat(result(client.lease().timeToLive(leaseId, true)).keys()).containsExactly(bkey("k"));

            kv.put(key("k"), "v2");
            assertThat(kv.get(key("k")).kvs().get(0).lease()).isZero();
            assertThat(result(client.lease().timeToLive(leaseId, true)).keys()).isEmpty();
        } finally {
            result(client.lease().revoke(leaseId));
        }
    }

    @Test
    void ignoreLeaseKeepsTheLeaseAndChangesTheValue() {
        long leaseId = result(client.lease().grant(60)).leaseId();
        try {
            long created = kv.put(key("k"), "v1", lease(leaseId)).header().revision();
            PutResponse put = kv.put(key("k"), "v2", ignoreLease(), prevKv());
            assertThat(put.prevKv().orElseThrow().value()).isEqualTo(Bytes.of("v1"));
            long rev = put.header().revision();
            assertThat(kv.get(key("k")).kvs()).containsExactly(
                    new KeyValue(bkey("k"), Bytes.of("v2"), created, rev, 2, leaseId));
        } finally {
            result(client.lease().revoke(leaseId));
        }
        assertThat(kv.get(key("k")).kvs()).isEmpty();
    }

    @Test
    void ignoreValueKeepsTheValueAndChangesTheLease() {
        long leaseId = result(client.lease().grant(60)).leaseId();
        try {
            long created = kv.put(key("k"), "value").header().revision();
            long rev = kv.put(bkey("k"), Bytes.EMPTY, ignoreValue(), lease(leaseId)).header().revision();
            assertThat(kv.get(key("k")).kvs()).containsExactly(
                    new KeyValue(bkey("k"), Bytes.of("value"), created, rev, 2, leaseId));

            // Both flags: nothing changes but the version and mod revision.
            long rev2 = kv.put(bkey("k"), Bytes.EMPTY, ignoreValue(), ignoreLease()).header().revision();
            assertThat(kv.get(key("k")).kvs()).containsExactly(
                    new KeyValue(bkey("k"), Bytes.of("value"), created, rev2, 3, leaseId));
        } finally {
            result(client.lease().revoke(leaseId));
        }
    }

    @Test
    void emptyValueIsAValue() {
        kv.put(bkey("k"), Bytes.EMPTY);
        GetResponse get = kv.get(key("k"));
        assertThat(get.count()).isEqualTo(1);
        assertThat(get.kvs().get(0).value()).isEqualTo(Bytes.EMPTY);
    }

    // ---- get: ranges

    @Test
    void getOfAMissingKeyIsEmpty() {
        GetResponse get = kv.get(key("missing"));
        assertThat(get.kvs()).isEmpty();
        assertThat(get.count()).isZero();
        assertThat(get.more()).isFalse();
        assertThat(get.header().revision()).isPositive();
    }

    @Test
    void getWithRangeEndReadsHalfOpenInterval() {
        putAll("a", "b", "c", "d");
        assertThat(keys(kv.get(key("b"), range(key("d"))))).containsExactly("b", "c");
        // An end at or before the key is an empty range, not an error.
        assertThat(kv.get(key("c"), range(key("c"))).kvs()).isEmpty();
        assertThat(kv.get(key("c"), range(key("a"))).count()).isZero();
    }

    @Test
    void getWithPrefixReadsEveryKeyWithThePrefix() {
        putAll("dir/a", "dir/b/c", "dir", "dis", "dir0");
        assertThat(keys(kv.get(key("dir/"), prefix()))).containsExactly("dir/a", "dir/b/c");
        assertThat(keys(kv.get(key("dir"), prefix()))).containsExactly("dir", "dir/a", "dir/b/c", "dir0");
        assertThat(keys(kv.get(prefix, prefix()))).containsExactly("dir", "dir/a", "dir/b/c", "dir0", "dis");
    }

    @Test
    void getFromKeyReadsEveryKeyAtOrAfterTheKey() {
        putAll("a", "m", "n", "z");
        GetResponse get = kv.get(key("m"), fromKey());
        // Keys after ours may belong to other tests; ours come first, in order, and "a" is not there.
        List<String> ours = keys(get);
        assertThat(ours).containsExactly("m", "n", "z");
        assertThat(get.kvs().subList(0, 3)).extracting(kv -> kv.key().toStringUtf8())
                .containsExactly(key("m"), key("n"), key("z"));
        assertThat(get.count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void getWithEmptyKeyAndPrefixReadsEverything() {
        putAll("x");
        GetResponse all = kv.get("", prefix(), keysOnly());
        assertThat(all.kvs()).extracting(KeyValue::key).contains(bkey("x"));
        assertThat(all.count()).isEqualTo(all.kvs().size());
        GetResponse fromStart = kv.get("", fromKey(), countOnly());
        assertThat(fromStart.count()).isEqualTo(all.count());
    }

    @Test
    void getAtAnOlderRevisionReadsThePastButHeaderHasTheCurrentRevision() {
        long r1 = kv.put(key("k"), "v1").header().revision();
        long r2 = kv.put(key("k"), "v2").header().revision();
        kv.put(key("other"), "x");

        GetResponse old = kv.get(key("k"), revision(r1));
        assertThat(old.kvs()).containsExactly(new KeyValue(bkey("k"), Bytes.of("v1"), r1, r1, 1, 0));
        assertThat(old.header().revision()).isEqualTo(r2 + 1);
        assertThat(kv.get(key("k"), revision(r1 - 1)).kvs()).isEmpty();
        // A prefix read at a revision sees only what existed then.
        assertThat(keys(kv.get(prefix, prefix(), revision(r2)))).containsExactly("k");
        // revision 0 is "now".
        assertThat(kv.get(key("k"), revision(0)).kvs().get(0).value()).isEqualTo(Bytes.of("v2"));
    }

    @Test
    void limitTruncatesAndSetsMoreWhileCountHasTheWholeRange() {
        putAll("a", "b", "c", "d", "e");
        GetResponse two = kv.get(prefix, prefix(), limit(2));
        assertThat(keys(two)).containsExactly("a", "b");
        assertThat(two.more()).isTrue();
        assertThat(two.count()).isEqualTo(5);

        GetResponse exact = kv.get(prefix, prefix(), limit(5));
        assertThat(exact.kvs()).hasSize(5);
        assertThat(exact.more()).isFalse();

        GetResponse above = kv.get(prefix, prefix(), limit(50));
        assertThat(above.kvs()).hasSize(5);
        assertThat(above.more()).isFalse();

        GetResponse unlimited = kv.get(prefix, prefix(), limit(0));
        assertThat(unlimited.kvs()).hasSize(5);
        assertThat(unlimited.more()).isFalse();
    }

    /**
     * Three keys whose order differs by every sort target: see {@link #sortData()}.
     * key: a b c; version: a(1) c(2) b(3); create: c a b; mod: a c b; value: b(k) a(m) c(z).
     */
    private long[] writeSortData() {
        long rc = kv.put(key("c"), "c0").header().revision();
        long ra = kv.put(key("a"), "m").header().revision();
        long rb = kv.put(key("b"), "b0").header().revision();
        kv.put(key("b"), "b1");
        long rc2 = kv.put(key("c"), "z").header().revision();
        long rb3 = kv.put(key("b"), "k").header().revision();
        return new long[] {ra, rb, rc, rc2, rb3};
    }

    static Stream<Arguments> sortCases() {
        List<Arguments> cases = new ArrayList<>();
        // target, ascending order, and what limit(1) returns without an order (see below).
        String[][] ascending = {
            {"KEY", "a", "b", "c", "a"},
            {"VERSION", "a", "c", "b", "a"},
            {"CREATE", "c", "a", "b", "a"},
            {"MOD", "a", "c", "b", "a"},
            {"VALUE", "b", "a", "c", "b"},
        };
        for (String[] row : ascending) {
            SortTarget target = SortTarget.valueOf(row[0]);
            List<String> asc = List.of(row[1], row[2], row[3]);
            List<String> desc = List.of(row[3], row[2], row[1]);
            // etcd sorts ascending on a non-key target when no order is given; key order is the default order.
            // But with no order etcd 3.4 applies the limit before sorting: it reads limit+1 keys in key
            // order (a, b), sorts those, and returns the first: VALUE gives b (k < m), the others a.
            cases.add(Arguments.of(target, SortOrder.NONE, asc, row[4]));
            cases.add(Arguments.of(target, SortOrder.ASCEND, asc, asc.get(0)));
            cases.add(Arguments.of(target, SortOrder.DESCEND, desc, desc.get(0)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sortCases")
    void sortByEveryTargetAndOrder(SortTarget target, SortOrder order, List<String> expected, String topOfOne) {
        writeSortData();
        GetResponse all = kv.get(prefix, prefix(), sort(target, order));
        assertThat(keys(all)).containsExactlyElementsOf(expected);
        assertThat(all.count()).isEqualTo(3);
        assertThat(all.more()).isFalse();

        // With an order, sorting happens before the limit.
        GetResponse top = kv.get(prefix, prefix(), sort(target, order), limit(1));
        assertThat(keys(top)).containsExactly(topOfOne);
        assertThat(top.more()).isTrue();
        assertThat(top.count()).isEqualTo(3);
    }

    @Test
    void firstAndLastShortcuts() {
        writeSortData();
        assertThat(keys(kv.get(prefix, firstKey()))).containsExactly("a");
        assertThat(keys(kv.get(prefix, lastKey()))).containsExactly("c");
        assertThat(keys(kv.get(prefix, firstRev()))).containsExactly("a");
        assertThat(keys(kv.get(prefix, lastRev()))).containsExactly("b");
        assertThat(keys(kv.get(prefix, firstCreate()))).containsExactly("c");
        assertThat(keys(kv.get(prefix, lastCreate()))).containsExactly("b");
        GetResponse last = kv.get(prefix, lastCreate());
        assertThat(last.more()).isTrue();
        assertThat(last.count()).isEqualTo(3);
    }

    @Test
    void minAndMaxModAndCreateRevisionFiltersAreInclusive() {
        long[] r = writeSortData();
        long ra = r[0], rb = r[1], rc = r[2], rc2 = r[3], rb3 = r[4];

        assertThat(keys(kv.get(prefix, prefix(), minModRevision(rc2)))).containsExactly("b", "c");
        assertThat(keys(kv.get(prefix, prefix(), minModRevision(rb3)))).containsExactly("b");
        assertThat(keys(kv.get(prefix, prefix(), maxModRevision(ra)))).containsExactly("a");
        assertThat(keys(kv.get(prefix, prefix(), maxModRevision(rc2)))).containsExactly("a", "c");
        assertThat(keys(kv.get(prefix, prefix(), minCreateRevision(ra)))).containsExactly("a", "b");
        assertThat(keys(kv.get(prefix, prefix(), maxCreateRevision(rc)))).containsExactly("c");
        assertThat(keys(kv.get(prefix, prefix(), minCreateRevision(ra), maxCreateRevision(rb))))
                .containsExactly("a", "b");
        assertThat(keys(kv.get(prefix, prefix(), minModRevision(rb3 + 1)))).isEmpty();

        // count is the size of the range before filters and limit.
        GetResponse filtered = kv.get(prefix, prefix(), minModRevision(rc2), limit(1));
        assertThat(keys(filtered)).containsExactly("b");
        assertThat(filtered.count()).isEqualTo(3);
        assertThat(filtered.more()).isTrue();
    }

    @Test
    void keysOnlyDropsValuesButKeepsMetadata() {
        long rev = kv.put(key("k"), "value").header().revision();
        GetResponse get = kv.get(key("k"), keysOnly());
        assertThat(get.kvs()).containsExactly(new KeyValue(bkey("k"), Bytes.EMPTY, rev, rev, 1, 0));
        assertThat(get.count()).isEqualTo(1);
    }

    @Test
    void countOnlyReturnsNoKeys() {
        putAll("a", "b", "c");
        GetResponse get = kv.get(prefix, prefix(), countOnly());
        assertThat(get.kvs()).isEmpty();
        assertThat(get.count()).isEqualTo(3);
        GetResponse limited = kv.get(prefix, prefix(), countOnly(), limit(1));
        assertThat(limited.kvs()).isEmpty();
        assertThat(limited.count()).isEqualTo(3);
    }

    @Test
    void serializableReadSeesTheSameDataOnOneMember() {
        long rev = kv.put(key("k"), "v").header().revision();
        GetResponse get = kv.get(key("k"), serializable());
        assertThat(get.kvs()).containsExactly(new KeyValue(bkey("k"), Bytes.of("v"), rev, rev, 1, 0));
        assertThat(get.header().revision()).isGreaterThanOrEqualTo(rev);
    }

    // ---- delete

    @Test
    void deleteOfAMissingKeyDeletesNothingAndKeepsTheRevision() {
        long before = kv.put(key("other"), "x").header().revision();
        DeleteResponse del = kv.delete(key("missing"));
        assertThat(del.deleted()).isZero();
        assertThat(del.prevKvs()).isEmpty();
        assertNoNewRevision(del.header(), before);
    }

    @Test
    void deleteRangeDeletesHalfOpenIntervalInOneRevision() {
        putAll("a", "b", "c", "d");
        long before = currentRevision();
        DeleteResponse del = kv.delete(key("b"), range(key("d")));
        assertThat(del.deleted()).isEqualTo(2);
        assertThat(del.prevKvs()).isEmpty();
        assertThat(del.header().revision()).isEqualTo(before + 1);
        assertThat(keys(kv.get(prefix, prefix()))).containsExactly("a", "d");
    }

    @Test
    void deletePrefixWithPrevKvReturnsTheDeletedKeys() {
        putAll("dir/a", "dir/b", "dirx");
        DeleteResponse del = kv.delete(key("dir/"), prefix(), prevKv());
        assertThat(del.deleted()).isEqualTo(2);
        assertThat(del.prevKvs()).extracting(kv -> kv.key().toStringUtf8())
                .containsExactly(key("dir/a"), key("dir/b"));
        assertThat(del.prevKvs()).extracting(kv -> kv.value().toStringUtf8())
                .containsExactly("value-dir/a", "value-dir/b");
        assertThat(keys(kv.get(prefix, prefix()))).containsExactly("dirx");
    }

    @Test
    void deleteSingleKeyWithPrevKv() {
        long rev = kv.put(key("k"), "v").header().revision();
        DeleteResponse del = kv.delete(key("k"), prevKv());
        assertThat(del.deleted()).isEqualTo(1);
        assertThat(del.prevKvs()).containsExactly(new KeyValue(bkey("k"), Bytes.of("v"), rev, rev, 1, 0));
    }

    @Test
    void deleteFromKeyDeletesEveryKeyAtOrAfterTheKey() {
        putAll("a", "m", "z");
        DeleteResponse del = kv.delete(key("m"), fromKey(), prevKv());
        assertThat(del.deleted()).isGreaterThanOrEqualTo(2);
        assertThat(del.prevKvs()).extracting(kv -> kv.key().toStringUtf8()).contains(key("m"), key("z"))
                .doesNotContain(key("a"));
        assertThat(keys(kv.get(prefix, prefix()))).containsExactly("a");
    }

    // ---- execute(Op)

    @Test
    void executeRunsEachKindOfOp() {
        OpResponse put = kv.execute(Op.put(key("k"), "v", prevKv()));
        assertThat(put).isInstanceOf(PutResponse.class);
        long rev = put.header().revision();

        OpResponse get = kv.execute(Op.get(key("k")));
        assertThat(get).isInstanceOfSatisfying(GetResponse.class, g -> {
            assertThat(g.kvs()).containsExactly(new KeyValue(bkey("k"), Bytes.of("v"), rev, rev, 1, 0));
            assertThat(g.header().revision()).isEqualTo(rev);
        });

        OpResponse prefixGet = kv.execute(Op.get(prefix, prefix(), countOnly()));
        assertThat(((GetResponse) prefixGet).count()).isEqualTo(1);

        OpResponse txn = kv.execute(Op.txn().then(Op.put(key("k2"), "v2"), Op.get(key("k"))));
        assertThat(txn).isInstanceOfSatisfying(TxnResponse.class, t -> {
            assertThat(t.succeeded()).isTrue();
            assertThat(t.header().revision()).isEqualTo(rev + 1);
            assertThat(t.responses()).hasSize(2);
            assertThat(t.getResponse(1).kvs()).hasSize(1);
        });

        OpResponse del = kv.execute(Op.delete(key("k"), prefix(), prevKv()));
        assertThat(del).isInstanceOfSatisfying(DeleteResponse.class, d -> {
            assertThat(d.deleted()).isEqualTo(2);
            assertThat(d.prevKvs()).hasSize(2);
            assertThat(d.header().revision()).isEqualTo(rev + 2);
        });
    }

    @Test
    void asyncCallsCompleteWithTheSameResults() {
        PutResponse put = result(client.kv().put(key("k"), "v"));
        GetResponse get = result(client.kv().get(key("k")));
        assertThat(get.kvs().get(0).modRevision()).isEqualTo(put.header().revision());
        DeleteResponse del = result(client.kv().delete(key("k")));
        assertThat(del.deleted()).isEqualTo(1);
    }

    // ---- arbitrary bytes

    @Test
    void keysAndValuesMayHoldAnyByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        Bytes value = Bytes.of(all);
        Bytes zeroKey = bkey("").concat(Bytes.of(new byte[] {0, 1, 0}));
        Bytes ffKey = bkey("").concat(Bytes.of(new byte[] {(byte) 0xFF, 0, (byte) 0xFF}));
        kv.put(zeroKey, value);
        kv.put(ffKey, value);

        assertThat(kv.get(zeroKey).kvs().get(0).value()).isEqualTo(value);
        assertThat(kv.get(ffKey).kvs().get(0).key()).isEqualTo(ffKey);
        // Unsigned order: 0x00... sorts before 0xFF...
        assertThat(kv.get(bkey(""), prefix()).kvs()).extracting(KeyValue::key).containsExactly(zeroKey, ffKey);
        assertThat(kv.delete(zeroKey).deleted()).isEqualTo(1);
    }

    @Test
    void prefixEndingInFfIncludesEveryExtensionAndNothingElse() {
        Bytes ff = Bytes.of(new byte[] {(byte) 0xFF});
        Bytes base = bkey("p");
        Bytes p = base.concat(ff);
        Bytes inside1 = p;
        Bytes inside2 = p.concat(Bytes.of(new byte[] {0}));
        Bytes inside3 = p.concat(ff).concat(ff);
        Bytes before = base.concat(Bytes.of(new byte[] {(byte) 0xFE}));
        Bytes after = bkey("q");
        for (Bytes k : List.of(inside1, inside2, inside3, before, after)) {
            kv.put(k, Bytes.of("v"));
        }
        assertThat(kv.get(p, prefix()).kvs()).extracting(KeyValue::key).containsExactly(inside1, inside2, inside3);
        assertThat(kv.delete(p, prefix()).deleted()).isEqualTo(3);
        assertThat(kv.get(bkey(""), prefix()).kvs()).extracting(KeyValue::key).containsExactly(before, after);
    }

    @Test
    void prefixOfAllFfBytesReachesTheEndOfTheKeySpace() {
        Bytes ffff = Bytes.of(new byte[] {(byte) 0xFF, (byte) 0xFF});
        Bytes k1 = ffff;
        Bytes k2 = ffff.concat(Bytes.of(new byte[] {0}));
        Bytes k3 = ffff.concat(Bytes.of(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        Bytes below = Bytes.of(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xFF});
        try {
            for (Bytes k : List.of(k1, k2, k3, below)) {
                kv.put(k, Bytes.of("v"));
            }
            assertThat(ffff.prefixEnd()).isEqualTo(Bytes.ZERO);
            assertThat(kv.get(ffff, prefix()).kvs()).extracting(KeyValue::key).containsExactly(k1, k2, k3);
            assertThat(kv.get(ffff, prefix(), countOnly()).count()).isEqualTo(3);
        } finally {
            // These keys live outside the test prefix: leave nothing behind for other tests.
            kv.delete(below, fromKey());
        }
        assertThat(kv.get(below, fromKey()).kvs()).isEmpty();
    }

    /**
     * Where chained stages run: never on a network thread by default; with
     * completeOnNetworkThreads(true) there (at least once in 20 tries: a stage attached after
     * completion runs on the caller), and a blocking call from such a stage fails instead of
     * deadlocking.
     */
    @Test
    void completeOnNetworkThreadsMovesStagesThereAndRefusesBlockingInThem() throws Exception {
        kv.put(key("k"), "v");
        assertThat(stageThreads(client)).noneMatch(t -> t.startsWith("etcdj-netty"));
        try (EtcdClient direct = EtcdClient.builder().endpoints(endpoints()).completeOnNetworkThreads(true).build()) {
            List<String> threads = new ArrayList<>();
            List<Throwable> blocked = new ArrayList<>();
            for (int i = 0; i < 20 && threads.stream().noneMatch(t -> t.startsWith("etcdj-netty")); i++) {
                CompletableFuture<String> seen = new CompletableFuture<>();
                direct.kv().put(key("k"), "v" + i).thenCompose(p -> direct.kv().get(key("k"))).whenComplete((r, e) -> {
                    String t = Thread.currentThread().getName();
                    if (t.startsWith("etcdj-netty")) {
                        try {
                            direct.kv().blocking().get(key("k"));
                        } catch (IllegalStateException expected) {
                            blocked.add(expected);
                        }
                    }
                    seen.complete(t);
                });
                threads.add(seen.get(10, TimeUnit.SECONDS));
            }
            assertThat(threads).anyMatch(t -> t.startsWith("etcdj-netty"));
            assertThat(blocked).hasSize((int) threads.stream().filter(t -> t.startsWith("etcdj-netty")).count())
                    .allSatisfy(e -> assertThat(e).hasMessageContaining("would deadlock"));
            assertThat(direct.kv().blocking().get(key("k")).kvs()).hasSize(1);
        }
    }

    /**
     * A thread blocked on a call finishes the call itself (no callback thread woken first): stages
     * chained before the wait run on it, or on a callback thread when the answer came before it
     * waited, never on a network thread. Same for the String and Op forms and the blocking view.
     */
    @Test
    void aThreadWaitingOnACallFinishesItAndRunsTheStagesChainedBefore() throws Exception {
        kv.put(key("k"), "v");
        String me = Thread.currentThread().getName();
        List<String> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CompletableFuture<GetResponse> call = client.kv().get(key("k"));
            CompletableFuture<String> stage = call.thenApply(r -> Thread.currentThread().getName());
            assertThat(i % 2 == 0 ? call.join() : call.get(10, TimeUnit.SECONDS)).satisfies(r -> assertThat(r.kvs()).hasSize(1));
            threads.add(stage.get(10, TimeUnit.SECONDS));
        }
        assertThat(threads).allMatch(t -> t.equals(me) || t.startsWith("etcdj-callback"), "the waiter or a callback thread")
                .contains(me);
        CompletableFuture<OpResponse> op = client.kv().execute(Op.get(key("k")));
        CompletableFuture<String> opStage = op.thenApply(r -> Thread.currentThread().getName());
        assertThat(((GetResponse) op.join()).kvs()).hasSize(1);
        assertThat(opStage.get(10, TimeUnit.SECONDS)).matches(t -> t.equals(me) || t.startsWith("etcdj-callback"));
        client.kv().blocking().put(key("k"), "w");
        assertThat(client.kv().blocking().get(key("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("w");
    }

    /**
     * Network threads poll for a moment after they worked (networkSpin, 100 µs by default) and then
     * sleep: calls work the same with polling off, sequential and 50 at once, and once a client is
     * idle its network threads use next to no CPU (a thread that kept polling would use all of it).
     */
    @Test
    void networkThreadsPollOnlyBrieflyAndCallsWorkWithPollingOff() throws Exception {
        try (EtcdClient off = EtcdClient.builder().endpoints(endpoints()).networkSpin(Duration.ZERO).build()) {
            for (EtcdClient c : List.of(client, off)) {
                for (int i = 0; i < 20; i++) {
                    c.kv().put(key("spin"), "v" + i).join();
                    assertThat(c.kv().blocking().get(key("spin")).kvs().get(0).value().toStringUtf8()).isEqualTo("v" + i);
                }
                List<CompletableFuture<GetResponse>> burst = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    burst.add(c.kv().get(key("spin")));
                }
                burst.forEach(f -> assertThat(f.join().kvs()).hasSize(1));
            }
        }
        client.kv().get(key("spin")).join();
        long idleNanos = TimeUnit.MILLISECONDS.toNanos(400);
        long before = networkThreadCpuNanos();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(idleNanos)); // the idle time being measured
        long cpu = networkThreadCpuNanos() - before;
        assertThat(cpu).as("CPU of network threads over %d ms idle", (System.nanoTime() - start) / 1_000_000)
                .isLessThan(idleNanos / 5);
    }

    /** CPU time used so far by every live network thread of the clients in this JVM. */
    private static long networkThreadCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo t : mx.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith("etcdj-netty")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** The threads that ran a stage chained on a composed put-then-get, five times. */
    private List<String> stageThreads(EtcdClient c) throws Exception {
        List<String> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            threads.add(c.kv().put(key("k"), "w" + i).thenCompose(p -> c.kv().get(key("k")))
                    .thenApply(r -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS));
        }
        return threads;
    }

    // ---- helpers

    /** Puts each suffix with value "value-" + suffix. */
    protected void putAll(String... suffixes) {
        for (String s : suffixes) {
            kv.put(key(s), "value-" + s);
        }
    }

    /** The keys of the response that belong to this test, without the test prefix. */
    protected List<String> keys(GetResponse response) {
        List<String> out = new ArrayList<>();
        for (KeyValue kv : response.kvs()) {
            String k = kv.key().toStringUtf8();
            if (k.startsWith(prefix)) {
                out.add(k.substring(prefix.length()));
            }
        }
        return out;
    }
}
