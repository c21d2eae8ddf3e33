package dev.etcdj.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One KV operation as a value: run it alone with {@link KvClient#execute(Op)} or as part of a
 * transaction. Options are resolved when the op is made, the way clientv3 resolves them (a prefix
 * of the empty key is every key).
 */
public sealed interface Op permits Op.Get, Op.Put, Op.Delete, Op.Txn {

    static Get get(String key, GetOption... options) {
        return get(Bytes.of(key), options);
    }

    static Get get(Bytes key, GetOption... options) {
        return OptionResolver.get(key, options);
    }

    static Put put(String key, String value, PutOption... options) {
        return put(Bytes.of(key), Bytes.of(value), options);
    }

    static Put put(Bytes key, Bytes value, PutOption... options) {
        long lease = 0;
        boolean prevKv = false, ignoreValue = false, ignoreLease = false;
        for (PutOption o : options) {
            if (o instanceof Options.Lease l) {
                lease = l.leaseId();
            } else if (o == Options.PrevKv.INSTANCE) {
                prevKv = true;
            } else if (o == Options.PutFlag.IGNORE_VALUE) {
                ignoreValue = true;
            } else if (o == Options.PutFlag.IGNORE_LEASE) {
                ignoreLease = true;
            } else {
                throw new IllegalArgumentException("unknown put option " + o);
            }
        }
        return new Put(key, value, lease, prevKv, ignoreValue, ignoreLease);
    }

    static Delete delete(String key, DeleteOption... options) {
        return delete(Bytes.of(key), options);
    }

    static Delete delete(Bytes key, DeleteOption... options) {
        Bytes k = key;
        Bytes end = Bytes.EMPTY;
        boolean prevKv = false;
        for (DeleteOption o : options) {
            if (o instanceof Options.KeyRange r) {
                Bytes[] resolved = OptionResolver.range(key, r);
                k = resolved[0];
                end = resolved[1];
            } else if (o == Options.PrevKv.INSTANCE) {
                prevKv = true;
            } else {
                throw new IllegalArgumentException("unknown delete option " + o);
            }
        }
        return new Delete(k, end, prevKv);
    }

    /** An empty transaction, to fill with {@link Txn#when}, {@link Txn#then} and {@link Txn#orElse}. */
    static Txn txn() {
        return Txn.EMPTY;
    }

    /** A read of one key or a range. A zero limit or revision means none; the bounds are inclusive, 0 = unset. */
    record Get(Bytes key, Bytes rangeEnd, long limit, long revision, SortTarget sortTarget, SortOrder sortOrder,
               boolean serializable, boolean keysOnly, boolean countOnly, long minModRevision,
               long maxModRevision, long minCreateRevision, long maxCreateRevision) implements Op {
        public Get {
            Objects.requireNonNull(key, "key");
            rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
            sortTarget = sortTarget == null ? SortTarget.KEY : sortTarget;
            sortOrder = sortOrder == null ? SortOrder.NONE : sortOrder;
        }
    }

    record Put(Bytes key, Bytes value, long lease, boolean prevKv, boolean ignoreValue, boolean ignoreLease)
            implements Op {
        public Put {
            Objects.requireNonNull(key, "key");
            value = value == null ? Bytes.EMPTY : value;
        }
    }

    record Delete(Bytes key, Bytes rangeEnd, boolean prevKv) implements Op {
        public Delete {
            Objects.requireNonNull(key, "key");
            rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
        }
    }

    /**
     * A transaction: if every compare holds, the {@code success} ops run, otherwise the
     * {@code failure} ops. Immutable: each method returns a new value. Usable nested inside another
     * transaction.
     */
    record Txn(List<Cmp> compares, List<Op> success, List<Op> failure) implements Op {
        static final Txn EMPTY = new Txn(List.of(), List.of(), List.of());

        public Txn {
            compares = List.copyOf(compares);
            success = List.copyOf(success);
            failure = List.copyOf(failure);
        }

        /** Adds compares; all of them must hold for the success branch to run. */
        public Txn when(Cmp... cmps) {
            return new Txn(append(compares, cmps), success, failure);
        }

        /** Adds ops to the branch that runs when every compare holds. */
        public Txn then(Op... ops) {
            return new Txn(compares, append(success, ops), failure);
        }

        /** Adds ops to the branch that runs when a compare fails. */
        public Txn orElse(Op... ops) {
            return new Txn(compares, success, append(failure, ops));
        }

        private static <T> List<T> append(List<T> list, T[] more) {
            List<T> all = new ArrayList<>(list.size() + more.length);
            all.addAll(list);
            for (T t : more) {
                all.add(Objects.requireNonNull(t));
            }
            return all;
        }
    }
}
