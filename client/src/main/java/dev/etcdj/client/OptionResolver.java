package dev.etcdj.client;

import java.util.Objects;

/** Turns option values into the fields of a request, the way clientv3 does. */
final class OptionResolver {

    private OptionResolver() {}

    /** The key and range end a request sends for a key range: {key, end}. */
    static Bytes[] range(Bytes key, Options.KeyRange r) {
        if (r.prefix()) {
            return key.isEmpty() ? new Bytes[] {Bytes.ZERO, Bytes.ZERO} : new Bytes[] {key, key.prefixEnd()};
        }
        if (r.end().equals(Bytes.ZERO) && key.isEmpty()) {
            return new Bytes[] {Bytes.ZERO, Bytes.ZERO};
        }
        return new Bytes[] {key, r.end()};
    }

    static Op.Get get(Bytes key, GetOption... options) {
        GetFields f = new GetFields(key);
        for (GetOption o : options) {
            f.apply(Objects.requireNonNull(o, "option"));
        }
        return new Op.Get(f.key, f.end, f.limit, f.revision, f.target, f.order, f.serializable, f.keysOnly,
                f.countOnly, f.minMod, f.maxMod, f.minCreate, f.maxCreate);
    }

    static WatchSpec watch(Bytes key, WatchOption... options) {
        Bytes k = key;
        Bytes end = Bytes.EMPTY;
        long startRevision = 0;
        boolean prevKv = false, progressNotify = false, noPut = false, noDelete = false, fragment = false;
        for (WatchOption o : options) {
            if (o instanceof Options.KeyRange r) {
                Bytes[] resolved = range(key, r);
                k = resolved[0];
                end = resolved[1];
            } else if (o instanceof Options.Revision r) {
                startRevision = r.revision();
            } else if (o == Options.PrevKv.INSTANCE) {
                prevKv = true;
            } else if (o instanceof Options.WatchFlag f) {
                switch (f) {
                    case PROGRESS_NOTIFY -> progressNotify = true;
                    case NO_PUT -> noPut = true;
                    case NO_DELETE -> noDelete = true;
                    case FRAGMENT -> fragment = true;
                }
            } else {
                throw new IllegalArgumentException("unknown watch option " + o);
            }
        }
        return new WatchSpec(k, end, startRevision, prevKv, progressNotify, noPut, noDelete, fragment);
    }

    private static final class GetFields {
        private final Bytes originalKey;
        private Bytes key;
        private Bytes end = Bytes.EMPTY;
        private long limit, revision, minMod, maxMod, minCreate, maxCreate;
        private SortTarget target = SortTarget.KEY;
        private SortOrder order = SortOrder.NONE;
        private boolean serializable, keysOnly, countOnly;

        GetFields(Bytes key) {
            this.originalKey = Objects.requireNonNull(key, "key");
            this.key = key;
        }

        void apply(GetOption o) {
            if (o instanceof Options.KeyRange r) {
                Bytes[] resolved = range(originalKey, r);
                key = resolved[0];
                end = resolved[1];
            } else if (o instanceof Options.Revision r) {
                revision = r.revision();
            } else if (o instanceof Options.Limit l) {
                limit = l.limit();
            } else if (o instanceof Options.Sort s) {
                target = s.target();
                order = s.order();
            } else if (o instanceof Options.GetFlag f) {
                switch (f) {
                    case SERIALIZABLE -> serializable = true;
                    case KEYS_ONLY -> keysOnly = true;
                    case COUNT_ONLY -> countOnly = true;
                }
            } else if (o instanceof Options.RevisionBound b) {
                switch (b.kind()) {
                    case MIN_MOD -> minMod = b.revision();
                    case MAX_MOD -> maxMod = b.revision();
                    case MIN_CREATE -> minCreate = b.revision();
                    case MAX_CREATE -> maxCreate = b.revision();
                }
            } else if (o instanceof Options.Combined c) {
                c.options().forEach(this::apply);
            } else {
                throw new IllegalArgumentException("unknown get option " + o);
            }
        }
    }
}
