package dev.etcdj.server.internal.metrics;

import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import io.grpc.MethodDescriptor;
import java.util.List;

/**
 * etcd's mvcc operation counters, derived from each answered KV request the way etcd 3.4 counts
 * them on its storage transactions: every store read (a range, a compare, the read behind a put's
 * prev_kv / ignore_value / ignore_lease, or behind a delete's prev_kv) is a range, and a storage
 * transaction that did more than one operation also counts as a txn. A write txn runs two storage
 * transactions: a read one for compares and checks, then the write one.
 */
final class MvccCounts {
    private final ServerMetrics m;

    MvccCounts(ServerMetrics m) {
        this.m = m;
    }

    static boolean counts(MethodDescriptor<?, ?> method) {
        return "etcdserverpb.KV".equals(method.getServiceName())
                && !"Compact".equals(method.getBareMethodName());
    }

    /** Storage operations of one storage transaction. */
    private static final class Ops {
        int ranges;
        int puts;
        int deletes;
    }

    void count(Object request, Object response) {
        Ops ops = new Ops();
        if (request instanceof RangeRequest) {
            ops.ranges++;
        } else if (request instanceof PutRequest p) {
            put(p, ops);
        } else if (request instanceof DeleteRangeRequest d) {
            delete(d, ops);
        } else if (request instanceof TxnRequest t && response instanceof TxnResponse r) {
            Ops read = new Ops();
            boolean write = !readOnly(t);
            Ops apply = write ? new Ops() : read;
            txn(t, r, read, apply, write);
            end(read);
            if (!write) {
                return;
            }
            ops = apply;
        } else {
            return;
        }
        end(ops);
    }

    private static void put(PutRequest p, Ops ops) {
        ops.puts++;
        if (p.getPrevKv() || p.getIgnoreValue() || p.getIgnoreLease()) {
            ops.ranges++;
        }
    }

    private static void delete(DeleteRangeRequest d, Ops ops) {
        ops.deletes++;
        if (d.getPrevKv()) {
            ops.ranges++;
        }
    }

    private static void txn(TxnRequest t, TxnResponse r, Ops read, Ops apply, boolean write) {
        read.ranges += t.getCompareCount();
        List<RequestOp> branch = r.getSucceeded() ? t.getSuccessList() : t.getFailureList();
        for (int i = 0; i < branch.size(); i++) {
            RequestOp op = branch.get(i);
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> apply.ranges++;
                case REQUEST_PUT -> {
                    PutRequest p = op.getRequestPut();
                    if (write && (p.getIgnoreValue() || p.getIgnoreLease())) {
                        read.ranges++; // etcd's check that the key exists, before the write
                    }
                    put(p, apply);
                }
                case REQUEST_DELETE_RANGE -> delete(op.getRequestDeleteRange(), apply);
                case REQUEST_TXN -> {
                    if (i < r.getResponsesCount()) {
                        txn(op.getRequestTxn(), r.getResponses(i).getResponseTxn(), read, apply, write);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static boolean readOnly(TxnRequest t) {
        for (List<RequestOp> ops : List.of(t.getSuccessList(), t.getFailureList())) {
            for (RequestOp op : ops) {
                switch (op.getRequestCase()) {
                    case REQUEST_PUT, REQUEST_DELETE_RANGE -> {
                        return false;
                    }
                    case REQUEST_TXN -> {
                        if (!readOnly(op.getRequestTxn())) {
                            return false;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return true;
    }

    private void end(Ops ops) {
        if (ops.ranges + ops.puts + ops.deletes > 1) {
            m.mvccTxn.inc();
        }
        m.mvccRange.inc(ops.ranges);
        m.mvccPut.inc(ops.puts);
        m.mvccDelete.inc(ops.deletes);
    }
}
