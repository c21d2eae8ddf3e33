package dev.etcdj.server.internal.mvcc;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeResponse;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.ResponseOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.TxnResponse;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.EtcdException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * etcd's KV request semantics (range options, put flags, delete, txn) on top of {@link MvccStore}.
 * Request validation that needs no state lives in the static check methods (run before apply).
 * Response headers carry only the revision; the RPC layer fills cluster/member ids and term.
 */
public final class KvOps {
    private final MvccStore store;
    private final LeaseHooks leases;

    public KvOps(MvccStore store, LeaseHooks leases) {
        this.store = store;
        this.leases = leases;
    }

    // ---------------------------------------------------------------- stateless checks

    public static void checkRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdException.of(WireError.EMPTY_KEY);
        }
    }

    public static void checkPut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdException.of(WireError.EMPTY_KEY);
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw EtcdException.of(WireError.VALUE_PROVIDED);
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw EtcdException.of(WireError.LEASE_PROVIDED);
        }
    }

    public static void checkDelete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdException.of(WireError.EMPTY_KEY);
        }
    }

    public static void checkTxn(TxnRequest r, int maxTxnOps) {
        checkTxnOps(r, maxTxnOps);
        checkIntervals(r.getSuccessList());
        checkIntervals(r.getFailureList());
    }

    private static void checkTxnOps(TxnRequest r, int maxTxnOps) {
        int opc = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (opc > maxTxnOps) {
            throw EtcdException.of(WireError.TOO_MANY_OPS);
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw EtcdException.of(WireError.EMPTY_KEY);
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            checkOp(op, maxTxnOps - opc);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxTxnOps - opc);
        }
    }

    private static void checkOp(RequestOp op, int maxTxnOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnOps(op.getRequestTxn(), maxTxnOps);
            default -> throw EtcdException.of(WireError.KEY_NOT_FOUND);
        }
    }

    private record Intervals(Set<ByteKey> puts, List<KeyRange> dels) {
        boolean deleted(ByteKey k) {
            for (KeyRange r : dels) {
                if (r.contains(k.bytes())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** etcd's duplicate-key rule within one branch (nested txns count as part of the branch). */
    private static Intervals checkIntervals(List<RequestOp> ops) {
        List<KeyRange> dels = new ArrayList<>();
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                dels.add(KeyRange.of(d.getKey(), d.getRangeEnd()));
            }
        }
        Intervals acc = new Intervals(new HashSet<>(), dels);
        List<KeyRange> childDels = new ArrayList<>();
        for (RequestOp op : ops) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Intervals then = checkIntervals(op.getRequestTxn().getSuccessList());
            Intervals els = checkIntervals(op.getRequestTxn().getFailureList());
            for (ByteKey k : then.puts()) {
                if (acc.puts().contains(k) || acc.deleted(k)) {
                    throw EtcdException.of(WireError.DUPLICATE_KEY);
                }
            }
            for (ByteKey k : els.puts()) {
                if ((acc.puts().contains(k) && !then.puts().contains(k)) || acc.deleted(k)) {
                    throw EtcdException.of(WireError.DUPLICATE_KEY);
                }
            }
            acc.puts().addAll(then.puts());
            acc.puts().addAll(els.puts());
            childDels.addAll(then.dels());
            childDels.addAll(els.dels());
        }
        dels.addAll(childDels);
        for (RequestOp op : ops) {
            if (!op.hasRequestPut()) {
                continue;
            }
            ByteKey k = ByteKey.of(op.getRequestPut().getKey());
            if (acc.puts().contains(k) || acc.deleted(k)) {
                throw EtcdException.of(WireError.DUPLICATE_KEY);
            }
            acc.puts().add(k);
        }
        return acc;
    }

    // ---------------------------------------------------------------- reads

    /** A plain Range (not in a txn) against published state. */
    public RangeResponse range(RangeRequest r) {
        long current = store.currentRevision();
        long rev = store.checkReadRev(r.getRevision(), current);
        return doRange(r, rev).setHeader(ResponseHeader.newBuilder().setRevision(current)).build();
    }

    private RangeResponse.Builder doRange(RangeRequest r, long rev) {
        // Like etcd 3.4's applierV3backend.Range: only an explicit order or a filter reads the whole
        // range. A non-key target with order NONE reads limit+1 keys in key order and sorts just those.
        boolean fetchAll = r.getSortOrder() != RangeRequest.SortOrder.NONE
                || r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
        long limit = r.getLimit();
        int max = (fetchAll || limit <= 0) ? 0 : (int) Math.min(Integer.MAX_VALUE - 1, limit + 1);
        // keys_only: values are never read, unless they order the result.
        boolean withValues = !r.getKeysOnly() || r.getSortTarget() == RangeRequest.SortTarget.VALUE;
        MvccStore.RangeResult rr = store.range(KeyRange.of(r.getKey(), r.getRangeEnd()), rev, max, r.getCountOnly(),
                withValues);
        List<KeyValue> kvs = rr.kvs();
        if (r.getMaxModRevision() != 0 || r.getMinModRevision() != 0
                || r.getMaxCreateRevision() != 0 || r.getMinCreateRevision() != 0) {
            List<KeyValue> f = new ArrayList<>(kvs.size());
            for (KeyValue kv : kvs) {
                if (r.getMaxModRevision() != 0 && kv.getModRevision() > r.getMaxModRevision()) {
                    continue;
                }
                if (r.getMinModRevision() != 0 && kv.getModRevision() < r.getMinModRevision()) {
                    continue;
                }
                if (r.getMaxCreateRevision() != 0 && kv.getCreateRevision() > r.getMaxCreateRevision()) {
                    continue;
                }
                if (r.getMinCreateRevision() != 0 && kv.getCreateRevision() < r.getMinCreateRevision()) {
                    continue;
                }
                f.add(kv);
            }
            kvs = f;
        }
        RangeRequest.SortOrder order = r.getSortOrder();
        if (r.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        if (order != RangeRequest.SortOrder.NONE && order != RangeRequest.SortOrder.UNRECOGNIZED) {
            Comparator<KeyValue> c = switch (r.getSortTarget()) {
                case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
                case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
                case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
                case VALUE -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getValue(), b.getValue());
                default -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey());
            };
            if (order == RangeRequest.SortOrder.DESCEND) {
                c = c.reversed();
            }
            kvs = new ArrayList<>(kvs);
            GoSort.sort(kvs, c); // etcd's unstable sort: tied keys come out in its order, not key order
        }
        RangeResponse.Builder b = RangeResponse.newBuilder().setCount(rr.count());
        if (limit > 0 && kvs.size() > limit) {
            kvs = kvs.subList(0, (int) limit);
            b.setMore(true);
        }
        for (KeyValue kv : kvs) {
            b.addKvs(r.getKeysOnly() && withValues ? kv.toBuilder().clearValue().build() : kv);
        }
        return b;
    }

    // ---------------------------------------------------------------- writes (apply thread)

    public PutResponse put(WriteTxn txn, PutRequest r) {
        KeyValue prev = txn.latest(r.getKey().toByteArray());
        checkPutState(r, prev);
        return doPut(txn, r, prev);
    }

    private void checkPutState(PutRequest r, KeyValue prev) {
        if ((r.getIgnoreValue() || r.getIgnoreLease()) && prev == null) {
            throw EtcdException.of(WireError.KEY_NOT_FOUND);
        }
        if (r.getLease() != 0 && !leases.exists(r.getLease())) {
            throw EtcdException.of(WireError.LEASE_NOT_FOUND);
        }
    }

    private PutResponse doPut(WriteTxn txn, PutRequest r, KeyValue prev) {
        byte[] key = r.getKey().toByteArray();
        ByteString value = r.getIgnoreValue() ? prev.getValue() : r.getValue();
        long lease = r.getIgnoreLease() ? prev.getLease() : r.getLease();
        txn.put(key, value, lease, prev);
        if (prev != null && prev.getLease() != 0 && prev.getLease() != lease) {
            leases.detach(prev.getLease(), key);
        }
        if (lease != 0) {
            leases.attach(lease, key);
        }
        PutResponse.Builder b = PutResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(txn.revision()));
        if (r.getPrevKv() && prev != null) {
            b.setPrevKv(prev);
        }
        return b.build();
    }

    public DeleteRangeResponse deleteRange(WriteTxn txn, DeleteRangeRequest r) {
        MvccStore.RangeResult rr = txn.range(KeyRange.of(r.getKey(), r.getRangeEnd()), txn.readRevision(), 0, false);
        DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setDeleted(rr.kvs().size());
        for (KeyValue kv : rr.kvs()) {
            byte[] key = kv.getKey().toByteArray();
            txn.delete(key);
            if (kv.getLease() != 0) {
                leases.detach(kv.getLease(), key);
            }
            if (r.getPrevKv()) {
                b.addPrevKvs(kv);
            }
        }
        long rev = txn.changed() ? txn.revision() : txn.beginRevision();
        return b.setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
    }

    /** Deletes the given keys in this txn (lease revoke / expiry). */
    public void deleteKeys(WriteTxn txn, List<byte[]> keys) {
        for (byte[] key : keys) {
            if (txn.latest(key) != null) {
                txn.delete(key);
            }
        }
    }

    public static boolean isReadOnly(TxnRequest r) {
        for (List<RequestOp> ops : List.of(r.getSuccessList(), r.getFailureList())) {
            for (RequestOp op : ops) {
                if (op.hasRequestPut() || op.hasRequestDeleteRange()) {
                    return false;
                }
                if (op.hasRequestTxn() && !isReadOnly(op.getRequestTxn())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether this txn (on whichever branch) may put: used for the NOSPACE gate. */
    public static boolean hasPut(TxnRequest r) {
        for (List<RequestOp> ops : List.of(r.getSuccessList(), r.getFailureList())) {
            for (RequestOp op : ops) {
                if (op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A read-only txn against published state (no apply thread needed). */
    public TxnResponse readOnlyTxn(TxnRequest r) {
        long rev = store.currentRevision();
        ReadCtx ctx = new ReadCtx(null, rev);
        List<Boolean> path = new ArrayList<>();
        evalPath(ctx, r, path);
        checkRanges(ctx, r, path, new int[1]);
        TxnResponse.Builder b = execTxn(ctx, r, path, new int[1]);
        return b.setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
    }

    /** A txn that may write, on the apply thread. */
    public TxnResponse txn(WriteTxn txn, TxnRequest r) {
        ReadCtx ctx = new ReadCtx(txn, txn.readRevision());
        List<Boolean> path = new ArrayList<>();
        evalPath(ctx, r, path);
        checkPuts(ctx, r, path, new int[1]);
        checkRanges(ctx, r, path, new int[1]);
        TxnResponse.Builder b = execTxn(ctx, r, path, new int[1]);
        long rev = txn.changed() ? txn.revision() : txn.beginRevision();
        return b.setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
    }

    private final class ReadCtx {
        final WriteTxn txn;
        final long baseRev;

        ReadCtx(WriteTxn txn, long baseRev) {
            this.txn = txn;
            this.baseRev = baseRev;
        }

        long rev() {
            return txn == null ? baseRev : txn.readRevision();
        }
    }

    /** Evaluates the compares of this txn and every nested txn on the chosen path, before any write. */
    private void evalPath(ReadCtx ctx, TxnRequest r, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : r.getCompareList()) {
            if (!applyCompare(ctx, c)) {
                ok = false;
                break;
            }
        }
        path.add(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                evalPath(ctx, op.getRequestTxn(), path);
            }
        }
    }

    private boolean applyCompare(ReadCtx ctx, Compare c) {
        MvccStore.RangeResult rr = store.range(KeyRange.of(c.getKey(), c.getRangeEnd()), ctx.rev(), 0, false);
        if (rr.kvs().isEmpty()) {
            if (c.getTarget() == Compare.CompareTarget.VALUE) {
                return false;
            }
            return compareKv(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : rr.kvs()) {
            if (!compareKv(c, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean compareKv(Compare c, KeyValue kv) {
        int result;
        switch (c.getTarget()) {
            case VALUE -> {
                ByteString v = c.hasValue() ? c.getValue() : ByteString.EMPTY;
                result = ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), v);
            }
            case CREATE -> result = Long.compare(kv.getCreateRevision(), c.hasCreateRevision() ? c.getCreateRevision() : 0);
            case MOD -> result = Long.compare(kv.getModRevision(), c.hasModRevision() ? c.getModRevision() : 0);
            case VERSION -> result = Long.compare(kv.getVersion(), c.hasVersion() ? c.getVersion() : 0);
            case LEASE -> result = Long.compare(kv.getLease(), c.hasLease() ? c.getLease() : 0);
            default -> result = 0;
        }
        return switch (c.getResult()) {
            case EQUAL -> result == 0;
            case NOT_EQUAL -> result != 0;
            case GREATER -> result > 0;
            case LESS -> result < 0;
            default -> true;
        };
    }

    private void checkPuts(ReadCtx ctx, TxnRequest r, List<Boolean> path, int[] pos) {
        boolean ok = path.get(pos[0]++);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestPut()) {
                PutRequest p = op.getRequestPut();
                checkPutState(p, p.getIgnoreValue() || p.getIgnoreLease()
                        ? store.get(p.getKey().toByteArray(), ctx.rev()) : null);
            } else if (op.hasRequestTxn()) {
                checkPuts(ctx, op.getRequestTxn(), path, pos);
            }
        }
    }

    private void checkRanges(ReadCtx ctx, TxnRequest r, List<Boolean> path, int[] pos) {
        boolean ok = path.get(pos[0]++);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestRange()) {
                store.checkReadRev(op.getRequestRange().getRevision(), ctx.rev());
            } else if (op.hasRequestTxn()) {
                checkRanges(ctx, op.getRequestTxn(), path, pos);
            }
        }
    }

    private TxnResponse.Builder execTxn(ReadCtx ctx, TxnRequest r, List<Boolean> path, int[] pos) {
        boolean ok = path.get(pos[0]++);
        TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> {
                    RangeRequest rr = op.getRequestRange();
                    long cur = ctx.rev();
                    long rev = rr.getRevision() <= 0 ? cur : rr.getRevision();
                    RangeResponse resp = doRange(rr, rev)
                            .setHeader(ResponseHeader.newBuilder().setRevision(cur)).build();
                    b.addResponses(ResponseOp.newBuilder().setResponseRange(resp));
                }
                case REQUEST_PUT -> {
                    PutRequest p = op.getRequestPut();
                    KeyValue prev = ctx.txn.latest(p.getKey().toByteArray());
                    b.addResponses(ResponseOp.newBuilder().setResponsePut(doPut(ctx.txn, p, prev)));
                }
                case REQUEST_DELETE_RANGE -> b.addResponses(ResponseOp.newBuilder()
                        .setResponseDeleteRange(deleteRange(ctx.txn, op.getRequestDeleteRange())));
                case REQUEST_TXN -> {
                    TxnResponse nested = execTxn(ctx, op.getRequestTxn(), path, pos)
                            .setHeader(ResponseHeader.getDefaultInstance()).build();
                    b.addResponses(ResponseOp.newBuilder().setResponseTxn(nested));
                }
                default -> {
                }
            }
        }
        return b;
    }
}
