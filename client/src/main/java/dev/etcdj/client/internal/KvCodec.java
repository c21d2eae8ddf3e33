package dev.etcdj.client.internal;

import static dev.etcdj.client.internal.ProtoConvert.header;
import static dev.etcdj.client.internal.ProtoConvert.toByteString;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.Op;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.CompactionResponse;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;

/**
 * Ops and compares to the generated protobuf requests that txns and compactions are sent as (a get,
 * put or delete on its own goes through {@link KvRequestEncoder}), and the compaction response to
 * its record; every other KV response is read by {@link KvResponseDecoder}. Stateless.
 */
public final class KvCodec {

    private KvCodec() {}

    // ---- requests

    public static RangeRequest rangeRequest(Op.Get g) {
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(toByteString(g.key()));
        if (!g.rangeEnd().isEmpty()) {
            b.setRangeEnd(toByteString(g.rangeEnd()));
        }
        return b.setLimit(g.limit())
                .setRevision(g.revision())
                .setSortOrder(sortOrder(g.sortOrder()))
                .setSortTarget(sortTarget(g.sortTarget()))
                .setSerializable(g.serializable())
                .setKeysOnly(g.keysOnly())
                .setCountOnly(g.countOnly())
                .setMinModRevision(g.minModRevision())
                .setMaxModRevision(g.maxModRevision())
                .setMinCreateRevision(g.minCreateRevision())
                .setMaxCreateRevision(g.maxCreateRevision())
                .build();
    }

    public static PutRequest putRequest(Op.Put p) {
        return PutRequest.newBuilder()
                .setKey(toByteString(p.key()))
                .setValue(toByteString(p.value()))
                .setLease(p.lease())
                .setPrevKv(p.prevKv())
                .setIgnoreValue(p.ignoreValue())
                .setIgnoreLease(p.ignoreLease())
                .build();
    }

    public static DeleteRangeRequest deleteRequest(Op.Delete d) {
        DeleteRangeRequest.Builder b = DeleteRangeRequest.newBuilder().setKey(toByteString(d.key()));
        if (!d.rangeEnd().isEmpty()) {
            b.setRangeEnd(toByteString(d.rangeEnd()));
        }
        return b.setPrevKv(d.prevKv()).build();
    }

    public static TxnRequest txnRequest(Op.Txn t) {
        TxnRequest.Builder b = TxnRequest.newBuilder();
        for (Cmp c : t.compares()) {
            b.addCompare(compare(c));
        }
        for (Op op : t.success()) {
            b.addSuccess(requestOp(op));
        }
        for (Op op : t.failure()) {
            b.addFailure(requestOp(op));
        }
        return b.build();
    }

    public static CompactionRequest compactRequest(long revision, boolean physical) {
        return CompactionRequest.newBuilder().setRevision(revision).setPhysical(physical).build();
    }

    public static RequestOp requestOp(Op op) {
        RequestOp.Builder b = RequestOp.newBuilder();
        if (op instanceof Op.Get g) {
            b.setRequestRange(rangeRequest(g));
        } else if (op instanceof Op.Put p) {
            b.setRequestPut(putRequest(p));
        } else if (op instanceof Op.Delete d) {
            b.setRequestDeleteRange(deleteRequest(d));
        } else if (op instanceof Op.Txn t) {
            b.setRequestTxn(txnRequest(t));
        }
        return b.build();
    }

    public static Compare compare(Cmp c) {
        Compare.Builder b = Compare.newBuilder()
                .setKey(toByteString(c.key()))
                .setResult(switch (c.result()) {
                    case EQUAL -> Compare.CompareResult.EQUAL;
                    case GREATER -> Compare.CompareResult.GREATER;
                    case LESS -> Compare.CompareResult.LESS;
                    case NOT_EQUAL -> Compare.CompareResult.NOT_EQUAL;
                });
        if (!c.rangeEnd().isEmpty()) {
            b.setRangeEnd(toByteString(c.rangeEnd()));
        }
        // The oneof member must be set even when zero: it tells the server which field to compare.
        switch (c.target()) {
            case VERSION -> b.setTarget(Compare.CompareTarget.VERSION).setVersion(c.number());
            case CREATE -> b.setTarget(Compare.CompareTarget.CREATE).setCreateRevision(c.number());
            case MOD -> b.setTarget(Compare.CompareTarget.MOD).setModRevision(c.number());
            case LEASE -> b.setTarget(Compare.CompareTarget.LEASE).setLease(c.number());
            case VALUE -> b.setTarget(Compare.CompareTarget.VALUE).setValue(toByteString(c.value()));
        }
        return b.build();
    }

    /** Whether an op only reads, so it may be retried on another endpoint after any failure. */
    public static boolean isReadOnly(Op op) {
        if (op instanceof Op.Get) {
            return true;
        }
        if (op instanceof Op.Txn t) {
            for (Op o : t.success()) {
                if (!isReadOnly(o)) {
                    return false;
                }
            }
            for (Op o : t.failure()) {
                if (!isReadOnly(o)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static RangeRequest.SortOrder sortOrder(dev.etcdj.client.SortOrder o) {
        return switch (o) {
            case NONE -> RangeRequest.SortOrder.NONE;
            case ASCEND -> RangeRequest.SortOrder.ASCEND;
            case DESCEND -> RangeRequest.SortOrder.DESCEND;
        };
    }

    static RangeRequest.SortTarget sortTarget(dev.etcdj.client.SortTarget t) {
        return switch (t) {
            case KEY -> RangeRequest.SortTarget.KEY;
            case VERSION -> RangeRequest.SortTarget.VERSION;
            case CREATE -> RangeRequest.SortTarget.CREATE;
            case MOD -> RangeRequest.SortTarget.MOD;
            case VALUE -> RangeRequest.SortTarget.VALUE;
        };
    }

    // ---- responses (the KV ones are read by KvResponseDecoder)

    public static CompactResponse compactResponse(CompactionResponse r) {
        return new CompactResponse(header(r.getHeader()));
    }
}
