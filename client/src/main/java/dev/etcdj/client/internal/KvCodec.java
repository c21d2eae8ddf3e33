package dev.etcdj.client.internal;

import static dev.etcdj.client.internal.ProtoConvert.header;
import static dev.etcdj.client.internal.ProtoConvert.keyValue;
import static dev.etcdj.client.internal.ProtoConvert.keyValues;
import static dev.etcdj.client.internal.ProtoConvert.toByteString;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.CompactResponse;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.OpResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.CompactionResponse;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.ResponseOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every KV encoding and decoding in one place: ops and compares to protobuf requests, protobuf
 * responses to the public records. Stateless; the hot path of every KV call.
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

    // ---- responses

    public static GetResponse getResponse(RangeResponse r) {
        return new GetResponse(header(r.getHeader()), keyValues(r.getKvsList()), r.getMore(), r.getCount());
    }

    public static PutResponse putResponse(dev.etcdj.proto.etcdserverpb.PutResponse r) {
        return new PutResponse(header(r.getHeader()),
                r.hasPrevKv() ? Optional.of(keyValue(r.getPrevKv())) : Optional.empty());
    }

    public static DeleteResponse deleteResponse(DeleteRangeResponse r) {
        return new DeleteResponse(header(r.getHeader()), r.getDeleted(), keyValues(r.getPrevKvsList()));
    }

    public static TxnResponse txnResponse(dev.etcdj.proto.etcdserverpb.TxnResponse r) {
        List<OpResponse> responses = new ArrayList<>(r.getResponsesCount());
        for (ResponseOp op : r.getResponsesList()) {
            responses.add(opResponse(op));
        }
        return new TxnResponse(header(r.getHeader()), r.getSucceeded(), responses);
    }

    public static CompactResponse compactResponse(CompactionResponse r) {
        return new CompactResponse(header(r.getHeader()));
    }

    public static OpResponse opResponse(ResponseOp op) {
        return switch (op.getResponseCase()) {
            case RESPONSE_RANGE -> getResponse(op.getResponseRange());
            case RESPONSE_PUT -> putResponse(op.getResponsePut());
            case RESPONSE_DELETE_RANGE -> deleteResponse(op.getResponseDeleteRange());
            case RESPONSE_TXN -> txnResponse(op.getResponseTxn());
            case RESPONSE_NOT_SET -> throw new EtcdException(EtcdException.Code.INTERNAL,
                    "etcdj: a txn response op holds no response");
        };
    }
}
