package dev.etcdj.client.internal;

import static dev.etcdj.client.Options.countOnly;
import static dev.etcdj.client.Options.firstKey;
import static dev.etcdj.client.Options.fromKey;
import static dev.etcdj.client.Options.ignoreLease;
import static dev.etcdj.client.Options.ignoreValue;
import static dev.etcdj.client.Options.keysOnly;
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

import com.google.protobuf.ByteString;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.Op;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import org.junit.jupiter.api.Test;

class KvCodecTest {

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    @Test
    void plainGetSetsOnlyTheKey() {
        RangeRequest r = KvCodec.rangeRequest(Op.get("foo"));
        assertThat(r).isEqualTo(RangeRequest.newBuilder().setKey(bs("foo")).build());
    }

    @Test
    void everyGetOptionLandsInItsField() {
        RangeRequest r = KvCodec.rangeRequest(Op.get("a", range("z"), limit(7), revision(42),
                sort(SortTarget.MOD, SortOrder.DESCEND), serializable(), keysOnly(), countOnly(),
                minModRevision(1), maxModRevision(2), minCreateRevision(3), maxCreateRevision(4)));
        assertThat(r.getKey()).isEqualTo(bs("a"));
        assertThat(r.getRangeEnd()).isEqualTo(bs("z"));
        assertThat(r.getLimit()).isEqualTo(7);
        assertThat(r.getRevision()).isEqualTo(42);
        assertThat(r.getSortTarget()).isEqualTo(RangeRequest.SortTarget.MOD);
        assertThat(r.getSortOrder()).isEqualTo(RangeRequest.SortOrder.DESCEND);
        assertThat(r.getSerializable()).isTrue();
        assertThat(r.getKeysOnly()).isTrue();
        assertThat(r.getCountOnly()).isTrue();
        assertThat(r.getMinModRevision()).isEqualTo(1);
        assertThat(r.getMaxModRevision()).isEqualTo(2);
        assertThat(r.getMinCreateRevision()).isEqualTo(3);
        assertThat(r.getMaxCreateRevision()).isEqualTo(4);
    }

    @Test
    void sortTargetsAndOrdersMapOneToOne() {
        for (SortTarget t : SortTarget.values()) {
            for (SortOrder o : SortOrder.values()) {
                RangeRequest r = KvCodec.rangeRequest(Op.get("k", sort(t, o)));
                assertThat(r.getSortTarget().name()).isEqualTo(t.name());
                assertThat(r.getSortOrder().name()).isEqualTo(o.name());
            }
        }
    }

    @Test
    void prefixAndFromKeyResolveTheRangeEnd() {
        assertThat(KvCodec.rangeRequest(Op.get("foo", prefix())).getRangeEnd()).isEqualTo(bs("fop"));
        RangeRequest from = KvCodec.rangeRequest(Op.get("foo", fromKey()));
        assertThat(from.getKey()).isEqualTo(bs("foo"));
        assertThat(from.getRangeEnd()).isEqualTo(ZERO);
    }

    @Test
    void prefixOrFromKeyOfTheEmptyKeyIsEveryKey() {
        for (RangeRequest r : new RangeRequest[] {
                KvCodec.rangeRequest(Op.get("", prefix())), KvCodec.rangeRequest(Op.get("", fromKey()))}) {
            assertThat(r.getKey()).isEqualTo(ZERO);
            assertThat(r.getRangeEnd()).isEqualTo(ZERO);
        }
        DeleteRangeRequest d = KvCodec.deleteRequest(Op.delete("", prefix()));
        assertThat(d.getKey()).isEqualTo(ZERO);
        assertThat(d.getRangeEnd()).isEqualTo(ZERO);
    }

    @Test
    void prefixOfAllFfIsFromKey() {
        Bytes ff = Bytes.of(new byte[] {(byte) 0xff, (byte) 0xff});
        RangeRequest r = KvCodec.rangeRequest(Op.get(ff, prefix()));
        assertThat(r.getKey()).isEqualTo(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}));
        assertThat(r.getRangeEnd()).isEqualTo(ZERO);
        Bytes trailing = Bytes.of(new byte[] {'a', (byte) 0xff});
        assertThat(KvCodec.rangeRequest(Op.get(trailing, prefix())).getRangeEnd()).isEqualTo(bs("b"));
    }

    @Test
    void combinedOptionsExpand() {
        RangeRequest first = KvCodec.rangeRequest(Op.get("p/", firstKey()));
        assertThat(first.getRangeEnd()).isEqualTo(bs("p0"));
        assertThat(first.getLimit()).isEqualTo(1);
        assertThat(first.getSortTarget()).isEqualTo(RangeRequest.SortTarget.KEY);
        assertThat(first.getSortOrder()).isEqualTo(RangeRequest.SortOrder.ASCEND);
        RangeRequest last = KvCodec.rangeRequest(Op.get("p/", lastRev()));
        assertThat(last.getSortTarget()).isEqualTo(RangeRequest.SortTarget.MOD);
        assertThat(last.getSortOrder()).isEqualTo(RangeRequest.SortOrder.DESCEND);
    }

    @Test
    void putOptions() {
        assertThat(KvCodec.putRequest(Op.put("k", "v")))
                .isEqualTo(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("v")).build());
        PutRequest p = KvCodec.putRequest(Op.put("k", "v", lease(99), prevKv(), ignoreValue(), ignoreLease()));
        assertThat(p.getLease()).isEqualTo(99);
        assertThat(p.getPrevKv()).isTrue();
        assertThat(p.getIgnoreValue()).isTrue();
        assertThat(p.getIgnoreLease()).isTrue();
    }

    @Test
    void deleteOptions() {
        assertThat(KvCodec.deleteRequest(Op.delete("k")))
                .isEqualTo(DeleteRangeRequest.newBuilder().setKey(bs("k")).build());
        DeleteRangeRequest d = KvCodec.deleteRequest(Op.delete("a", range("c"), prevKv()));
        assertThat(d.getRangeEnd()).isEqualTo(bs("c"));
        assertThat(d.getPrevKv()).isTrue();
    }

    @Test
    void comparesSetTargetResultAndTheOneofMemberEvenWhenZero() {
        Compare v = KvCodec.compare(Cmp.version("k").equalTo(0));
        assertThat(v.getTarget()).isEqualTo(Compare.CompareTarget.VERSION);
        assertThat(v.getResult()).isEqualTo(Compare.CompareResult.EQUAL);
        assertThat(v.getTargetUnionCase()).isEqualTo(Compare.TargetUnionCase.VERSION);
        Compare c = KvCodec.compare(Cmp.createRevision("k").greater(5));
        assertThat(c.getTargetUnionCase()).isEqualTo(Compare.TargetUnionCase.CREATE_REVISION);
        assertThat(c.getCreateRevision()).isEqualTo(5);
        assertThat(c.getResult()).isEqualTo(Compare.CompareResult.GREATER);
        Compare m = KvCodec.compare(Cmp.modRevision("k").less(6).withPrefix());
        assertThat(m.getModRevision()).isEqualTo(6);
        assertThat(m.getResult()).isEqualTo(Compare.CompareResult.LESS);
        assertThat(m.getRangeEnd()).isEqualTo(bs("l"));
        Compare l = KvCodec.compare(Cmp.lease("k").notEqual(7));
        assertThat(l.getTargetUnionCase()).isEqualTo(Compare.TargetUnionCase.LEASE);
        assertThat(l.getLease()).isEqualTo(7);
        assertThat(l.getResult()).isEqualTo(Compare.CompareResult.NOT_EQUAL);
        Compare val = KvCodec.compare(Cmp.value("k").equalTo(""));
        assertThat(val.getTarget()).isEqualTo(Compare.CompareTarget.VALUE);
        assertThat(val.getTargetUnionCase()).isEqualTo(Compare.TargetUnionCase.VALUE);
        assertThat(val.getKey()).isEqualTo(bs("k"));
        assertThat(val.getRangeEnd()).isEmpty();
    }

    @Test
    void txnEncodesCompareAndBothBranchesIncludingNested() {
        Op.Txn inner = Op.txn().when(Cmp.value("x").equalTo("1")).then(Op.delete("x"));
        TxnRequest t = KvCodec.txnRequest(Op.txn()
                .when(Cmp.version("a").greater(0))
                .then(Op.put("a", "1"), inner)
                .orElse(Op.get("a")));
        assertThat(t.getCompareCount()).isEqualTo(1);
        assertThat(t.getSuccess(0).getRequestCase()).isEqualTo(RequestOp.RequestCase.REQUEST_PUT);
        assertThat(t.getSuccess(1).getRequestTxn().getSuccess(0).getRequestDeleteRange().getKey()).isEqualTo(bs("x"));
        assertThat(t.getFailure(0).getRequestRange().getKey()).isEqualTo(bs("a"));
    }

    @Test
    void readOnlyMeansOnlyGetsAllTheWayDown() {
        assertThat(KvCodec.isReadOnly(Op.get("a"))).isTrue();
        assertThat(KvCodec.isReadOnly(Op.put("a", "b"))).isFalse();
        assertThat(KvCodec.isReadOnly(Op.delete("a"))).isFalse();
        assertThat(KvCodec.isReadOnly(Op.txn())).isTrue();
        assertThat(KvCodec.isReadOnly(Op.txn().then(Op.get("a")).orElse(Op.txn().then(Op.get("b"))))).isTrue();
        assertThat(KvCodec.isReadOnly(Op.txn().then(Op.get("a")).orElse(Op.txn().then(Op.put("b", "c"))))).isFalse();
    }
}
