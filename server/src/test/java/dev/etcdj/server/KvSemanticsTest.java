package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import dev.etcdj.proto.mvccpb.KeyValue;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KvSemanticsTest extends ServerTestBase {
    private static final String INVALID = "etcdserver: ";

    @Test
    void emptyStoreIsAtRevisionOneAndFirstWriteMakesTwo() {
        RangeResponse r = get("foo");
        assertThat(r.getHeader().getRevision()).isEqualTo(1);
        assertThat(r.getHeader().getRaftTerm()).isEqualTo(2);
        assertThat(r.getHeader().getClusterId()).isEqualTo(server.clusterId());
        assertThat(r.getHeader().getMemberId()).isEqualTo(server.memberId());
        assertThat(r.getKvsCount()).isZero();
        assertThat(put("foo", "bar").getHeader().getRevision()).isEqualTo(2);
        KeyValue kv = get("foo").getKvs(0);
        assertThat(kv.getCreateRevision()).isEqualTo(2);
        assertThat(kv.getModRevision()).isEqualTo(2);
        assertThat(kv.getVersion()).isEqualTo(1);
        put("foo", "bar");
        kv = get("foo").getKvs(0);
        assertThat(kv.getCreateRevision()).isEqualTo(2);
        assertThat(kv.getModRevision()).isEqualTo(3);
        assertThat(kv.getVersion()).isEqualTo(2);
    }

    @Test
    void deleteWritesTombstoneAndRecreateStartsOver() {
        put("a", "1");
        put("a", "2");
        DeleteRangeResponse d = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("a")).setPrevKv(true).build());
        assertThat(d.getDeleted()).isEqualTo(1);
        assertThat(d.getHeader().getRevision()).isEqualTo(4);
        assertThat(str(d.getPrevKvs(0).getValue())).isEqualTo("2");
        DeleteRangeResponse none = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("a")).build());
        assertThat(none.getDeleted()).isZero();
        assertThat(none.getHeader().getRevision()).isEqualTo(4);
        put("a", "3");
        KeyValue kv2 = get("a").getKvs(0);
        assertThat(kv2.getVersion()).isEqualTo(1);
        assertThat(kv2.getCreateRevision()).isEqualTo(5);
        // history still readable
        RangeResponse old = kv.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(3).build());
        assertThat(str(old.getKvs(0).getValue())).isEqualTo("2");
        assertThat(old.getHeader().getRevision()).isEqualTo(5);
        assertThat(kv.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(4).build()).getKvsCount()).isZero();
    }

    @Test
    void rangeEndRules() {
        for (String k : List.of("a", "b", "c", "d", "\u00ff")) {
            put(k, k);
        }
        assertThat(keys(RangeRequest.newBuilder().setKey(bs("b")).setRangeEnd(bs("d")))).containsExactly("b", "c");
        assertThat(keys(RangeRequest.newBuilder().setKey(bs("b")).setRangeEnd(bs("\0")))).containsExactly("b", "c", "d", "\u00ff");
        assertThat(keys(RangeRequest.newBuilder().setKey(bs("\0")).setRangeEnd(bs("\0")))).hasSize(5);
        assertThat(keys(RangeRequest.newBuilder().setKey(bs("d")).setRangeEnd(bs("b")))).isEmpty();
        assertEtcdError(() -> kv.range(RangeRequest.newBuilder().build()), Status.Code.INVALID_ARGUMENT,
                "etcdserver: key is not provided");
    }

    private List<String> keys(RangeRequest.Builder b) {
        List<String> out = new ArrayList<>();
        for (KeyValue kv : kv.range(b.build()).getKvsList()) {
            out.add(str(kv.getKey()));
        }
        return out;
    }

    @Test
    void limitMoreCountSortAndFilters() {
        put("k1", "c"); // 2
        put("k2", "b"); // 3
        put("k3", "a"); // 4
        put("k4", "d"); // 5
        put("k1", "e"); // 6
        RangeRequest.Builder all = RangeRequest.newBuilder().setKey(bs("k")).setRangeEnd(bs("l"));
        RangeResponse r = kv.range(all.clone().setLimit(2).build());
        assertThat(r.getKvsCount()).isEqualTo(2);
        assertThat(r.getMore()).isTrue();
        assertThat(r.getCount()).isEqualTo(4);
        r = kv.range(all.clone().setLimit(4).build());
        assertThat(r.getMore()).isFalse();
        r = kv.range(all.clone().setLimit(1).setMinModRevision(4).build());
        assertThat(r.getCount()).isEqualTo(4);
        assertThat(r.getMore()).isTrue();
        assertThat(str(r.getKvs(0).getKey())).isEqualTo("k1");
        assertThat(keys(all.clone().setSortTarget(RangeRequest.SortTarget.VALUE))).containsExactly("k3", "k2", "k4", "k1");
        assertThat(keys(all.clone().setSortTarget(RangeRequest.SortTarget.MOD).setSortOrder(RangeRequest.SortOrder.DESCEND)))
                .containsExactly("k1", "k4", "k3", "k2");
        assertThat(keys(all.clone().setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(2))).containsExactly("k4", "k3");
        assertThat(keys(all.clone().setMaxCreateRevision(3))).containsExactly("k1", "k2");
        assertThat(keys(all.clone().setMinCreateRevision(4).setMaxModRevision(4))).containsExactly("k3");
        r = kv.range(all.clone().setCountOnly(true).build());
        assertThat(r.getKvsCount()).isZero();
        assertThat(r.getCount()).isEqualTo(4);
        r = kv.range(all.clone().setKeysOnly(true).build());
        assertThat(r.getKvs(0).getValue().isEmpty()).isTrue();
        assertThat(r.getKvs(0).getVersion()).isEqualTo(2);
        // keys_only reads no value, yet every other field is the full read's
        RangeResponse full = kv.range(all.build());
        for (int i = 0; i < full.getKvsCount(); i++) {
            assertThat(r.getKvs(i)).isEqualTo(full.getKvs(i).toBuilder().clearValue().build());
        }
        // ... unless the values order the result
        assertThat(keys(all.clone().setKeysOnly(true).setSortTarget(RangeRequest.SortTarget.VALUE)))
                .containsExactly("k3", "k2", "k4", "k1");
    }

    @Test
    void revisionReadsCompactedAndFuture() {
        put("a", "1");
        put("a", "2");
        put("a", "3"); // rev 4
        assertEtcdError(() -> kv.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(5).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        kv.compact(CompactionRequest.newBuilder().setRevision(3).setPhysical(true).build());
        assertEtcdError(() -> kv.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(2).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
        assertThat(str(kv.range(RangeRequest.newBuilder().setKey(bs("a")).setRevision(3).build()).getKvs(0).getValue()))
                .isEqualTo("2");
        assertEtcdError(() -> kv.compact(CompactionRequest.newBuilder().setRevision(3).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
        assertEtcdError(() -> kv.compact(CompactionRequest.newBuilder().setRevision(9).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        assertThat(kv.compact(CompactionRequest.newBuilder().setRevision(4).build()).getHeader().getRevision()).isEqualTo(4);
    }

    @Test
    void compactionDropsDeletedKeysHistory() {
        put("x", "1"); // 2
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("x")).build()); // 3
        put("y", "1"); // 4
        kv.compact(CompactionRequest.newBuilder().setRevision(3).setPhysical(true).build());
        assertThat(kv.range(RangeRequest.newBuilder().setKey(bs("x")).setRevision(3).build()).getKvsCount()).isZero();
        assertThat(get("y").getKvsCount()).isEqualTo(1);
        assertThat(rev()).isEqualTo(4);
    }

    @Test
    void putFlagsAndErrors() {
        assertEtcdError(() -> kv.put(PutRequest.newBuilder().setKey(bs("k")).setIgnoreValue(true).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: key not found");
        assertEtcdError(() -> kv.put(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("v")).setIgnoreValue(true).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided");
        assertEtcdError(() -> kv.put(PutRequest.newBuilder().setKey(bs("k")).setLease(5).setIgnoreLease(true).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided");
        assertEtcdError(() -> kv.put(PutRequest.newBuilder().setKey(bs("k")).setLease(5).build()),
                Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
        assertEtcdError(() -> kv.put(PutRequest.newBuilder().setValue(bs("v")).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
        put("k", "v1");
        PutResponse p = kv.put(PutRequest.newBuilder().setKey(bs("k")).setIgnoreValue(true).setPrevKv(true).build());
        assertThat(str(p.getPrevKv().getValue())).isEqualTo("v1");
        assertThat(str(get("k").getKvs(0).getValue())).isEqualTo("v1");
        assertThat(get("k").getKvs(0).getVersion()).isEqualTo(2);
        assertThat(rev()).isEqualTo(3);
    }

    @Test
    void requestTooLarge() {
        assertPutOfValueSizeFails(1_572_865, Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large");
    }

    @Test
    void messageAboveGrpcLimit() {
        assertPutOfValueSizeFails(2_200_000, Status.Code.RESOURCE_EXHAUSTED,
                "grpc: received message larger than max (2200008 vs. 2097152)");
        assertThat(put("k", "small").getHeader().getRevision()).isEqualTo(2);
    }

    private void assertPutOfValueSizeFails(int valueSize, Status.Code code, String message) {
        byte[] value = new byte[valueSize];
        assertEtcdError(() -> kv.put(PutRequest.newBuilder().setKey(bs("k"))
                .setValue(com.google.protobuf.ByteString.copyFrom(value)).build()), code, message);
    }

    private static RequestOp putOp(String k, String v) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v))).build();
    }

    private static RequestOp getOp(String k) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bs(k))).build();
    }

    private static RequestOp delOp(String k, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs(k))
                .setRangeEnd(bs(end))).build();
    }

    @Test
    void txnComparesBranchesAndHeaders() {
        put("a", "1"); // 2
        TxnResponse t = kv.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("a")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(bs("1")))
                .addCompare(Compare.newBuilder().setKey(bs("missing")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL).setVersion(0))
                .addSuccess(putOp("b", "2"))
                .addSuccess(getOp("b"))
                .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder().addSuccess(getOp("a"))))
                .addFailure(putOp("c", "3"))
                .build());
        assertThat(t.getSucceeded()).isTrue();
        assertThat(t.getHeader().getRevision()).isEqualTo(3);
        assertThat(t.getHeader().getMemberId()).isEqualTo(server.memberId());
        assertThat(t.getResponses(0).getResponsePut().getHeader().getRevision()).isEqualTo(3);
        assertThat(t.getResponses(0).getResponsePut().getHeader().getMemberId()).isZero();
        assertThat(t.getResponses(1).getResponseRange().getKvsCount()).isEqualTo(1); // later ops see earlier writes
        assertThat(t.getResponses(1).getResponseRange().getHeader().getRevision()).isEqualTo(3);
        assertThat(t.getResponses(2).getResponseTxn().getHeader().getRevision()).isZero();
        assertThat(t.getResponses(2).getResponseTxn().getSucceeded()).isTrue();

        // value compare on a missing key is false
        t = kv.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("nope")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.NOT_EQUAL).setValue(bs("x")))
                .addFailure(getOp("a")).build());
        assertThat(t.getSucceeded()).isFalse();
        assertThat(t.getHeader().getRevision()).isEqualTo(3);

        // range_end compare must hold for every key
        put("r1", "1");
        put("r2", "5");
        Compare.Builder rc = Compare.newBuilder().setKey(bs("r")).setRangeEnd(bs("s"))
                .setTarget(Compare.CompareTarget.VALUE).setResult(Compare.CompareResult.LESS).setValue(bs("3"));
        assertThat(kv.txn(TxnRequest.newBuilder().addCompare(rc).build()).getSucceeded()).isFalse();
        rc.setValue(bs("6"));
        assertThat(kv.txn(TxnRequest.newBuilder().addCompare(rc).build()).getSucceeded()).isTrue();

        // empty txn succeeds without a revision bump
        long before = rev();
        t = kv.txn(TxnRequest.getDefaultInstance());
        assertThat(t.getSucceeded()).isTrue();
        assertThat(rev()).isEqualTo(before);

        // lease compare
        assertThat(kv.txn(TxnRequest.newBuilder().addCompare(Compare.newBuilder().setKey(bs("a"))
                .setTarget(Compare.CompareTarget.LEASE).setResult(Compare.CompareResult.EQUAL).setLease(0))
                .build()).getSucceeded()).isTrue();
    }

    @Test
    void txnWithSeveralWritesUsesOneRevision() {
        TxnResponse t = kv.txn(TxnRequest.newBuilder().addSuccess(putOp("a", "1")).addSuccess(putOp("b", "1"))
                .addSuccess(delOp("zz", "")).build());
        assertThat(t.getHeader().getRevision()).isEqualTo(2);
        assertThat(get("a").getKvs(0).getModRevision()).isEqualTo(2);
        assertThat(get("b").getKvs(0).getModRevision()).isEqualTo(2);
        t = kv.txn(TxnRequest.newBuilder().addSuccess(delOp("a", "c")).addSuccess(getOp("a")).build());
        assertThat(t.getHeader().getRevision()).isEqualTo(3);
        assertThat(t.getResponses(0).getResponseDeleteRange().getDeleted()).isEqualTo(2);
        assertThat(t.getResponses(1).getResponseRange().getKvsCount()).isZero();
    }

    @Test
    void txnValidation() {
        TxnRequest.Builder many = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            many.addSuccess(putOp("k" + i, "v"));
        }
        assertEtcdError(() -> kv.txn(many.build()), Status.Code.INVALID_ARGUMENT,
                "etcdserver: too many operations in txn request");
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(putOp("a", "1")).addSuccess(putOp("a", "2")).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(delOp("a", "c")).addSuccess(putOp("b", "2")).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(putOp("a", "1"))
                        .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder().addSuccess(putOp("a", "2"))))
                        .build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: key not found");
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addCompare(Compare.newBuilder()).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided");
        // allowed: same key in success and failure, overlapping deletes, range + put
        kv.txn(TxnRequest.newBuilder().addSuccess(putOp("a", "1")).addFailure(putOp("a", "2"))
                .addSuccess(delOp("x", "z")).addSuccess(delOp("y", "zz")).addSuccess(getOp("a")).build());
        // a failing check inside the chosen branch has no effect at all
        long before = rev();
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(putOp("p", "1"))
                        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("q")).setLease(42)))
                        .build()),
                Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
        assertThat(rev()).isEqualTo(before);
        assertThat(get("p").getKvsCount()).isZero();
        assertEtcdError(() -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                        .setRequestRange(RangeRequest.newBuilder().setKey(bs("a")).setRevision(1000))).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void concurrentWritersGetDistinctConsecutiveRevisions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                fs.add(CompletableFuture.supplyAsync(() -> put("c" + (n % 13), "v" + n).getHeader().getRevision(), pool));
            }
            List<Long> revs = new ArrayList<>();
            for (CompletableFuture<Long> f : fs) {
                revs.add(f.get());
            }
            assertThat(revs).doesNotHaveDuplicates();
            assertThat(revs).allMatch(r -> r >= 2 && r <= 401);
            assertThat(rev()).isEqualTo(401);
            long versions = 0;
            for (KeyValue kv : kv.range(RangeRequest.newBuilder().setKey(bs("c")).setRangeEnd(bs("d")).build()).getKvsList()) {
                versions += kv.getVersion();
            }
            assertThat(versions).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
    }
}
