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
        KeyFields f = new KeyFields(key);
        boolean prevKv = false, progressNotify = false, noPut = false, noDelete = false, fragment = false;
        for (WatchOption o : options) {
            if (f.applyKeyOrRevision(o)) {
                continue;
            }
            if (o == Options.PrevKv.INSTANCE) {
                prevKv = true;
            } else if (o instanceof Options.WatchFlag flag) {
                switch (flag) {
                    case PROGRESS_NOTIFY -> progressNotify = true;
                    case NO_PUT -> noPut = true;
                    case NO_DELETE -> noDelete = true;
                    case FRAGMENT -> fragment = true;
                }
            } else {
                throw new IllegalArgumentException("unknown watch option " + o);
            }
        }
        return new WatchSpec(f.key, f.end, f.revision, prevKv, progressNotify, noPut, noDelete, fragment);
    }

    /** The key, range end and revision of a request, as its key-range and revision options set them. */
    private static class KeyFields {
        private final Bytes originalKey;
        Bytes key;
        Bytes end = Bytes.EMPTY;
        long revision;

        KeyFields(Bytes key) {
            this.originalKey = key;
            this.key = key;
        }

        /** Takes a key range or a revision; false for any other option. */
        boolean applyKeyOrRevision(Object o) {
            if (o instanceof Options.KeyRange r) {
                Bytes[] resolved = range(originalKey, r);
                key = resolved[0];
                end = resolved[1];
            } else if (o instanceof Options.Revision r) {
                revision = r.revision();
            } else {
                return false;
            }
            return true;
        }
    }

    private static final class GetFields extends KeyFields {
        private long limit, minMod, maxMod, minCreate, maxCreate;
        private SortTarget target = SortTarget.KEY;
        private SortOrder order = SortOrder.NONE;
        private boolean serializable, keysOnly, countOnly;

        GetFields(Bytes key) {
            super(Objects.requireNonNull(key, "key"));
        }

        void apply(GetOption o) {
            if (applyKeyOrRevision(o)) {
                return;
            }
            if (o instanceof Options.Limit l) {
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
