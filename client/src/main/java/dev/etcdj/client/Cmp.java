package dev.etcdj.client;

import java.util.Objects;

/**
 * A transaction's compare: a key's value, version, create or mod revision, or lease against a given
 * one. Value compares are lexical on bytes. With a range end, the compare must hold for every key
 * in the range. A missing key compares as version, revisions and lease 0; a value compare on a
 * missing key is false.
 * <pre>{@code
 * Cmp.value("key").greater("abc");   Cmp.version("key").equalTo(0);   Cmp.modRevision("k").less(10).withPrefix();
 * }</pre>
 */
public record Cmp(Bytes key, Bytes rangeEnd, Target target, Result result, long number, Bytes value) {

    public enum Target { VERSION, CREATE, MOD, VALUE, LEASE }

    public enum Result { EQUAL, GREATER, LESS, NOT_EQUAL }

    public Cmp {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(result, "result");
        rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
        value = value == null ? Bytes.EMPTY : value;
    }

    public static ValueOperand value(String key) {
        return new ValueOperand(Bytes.of(key));
    }

    public static ValueOperand value(Bytes key) {
        return new ValueOperand(key);
    }

    public static NumberOperand version(String key) {
        return new NumberOperand(Bytes.of(key), Target.VERSION);
    }

    public static NumberOperand version(Bytes key) {
        return new NumberOperand(key, Target.VERSION);
    }

    public static NumberOperand createRevision(String key) {
        return new NumberOperand(Bytes.of(key), Target.CREATE);
    }

    public static NumberOperand createRevision(Bytes key) {
        return new NumberOperand(key, Target.CREATE);
    }

    public static NumberOperand modRevision(String key) {
        return new NumberOperand(Bytes.of(key), Target.MOD);
    }

    public static NumberOperand modRevision(Bytes key) {
        return new NumberOperand(key, Target.MOD);
    }

    public static NumberOperand lease(String key) {
        return new NumberOperand(Bytes.of(key), Target.LEASE);
    }

    public static NumberOperand lease(Bytes key) {
        return new NumberOperand(key, Target.LEASE);
    }

    /** The same compare over [key, end). */
    public Cmp withRange(Bytes end) {
        return new Cmp(key, end, target, result, number, value);
    }

    public Cmp withRange(String end) {
        return withRange(Bytes.of(end));
    }

    /** The same compare over every key with this key as prefix. */
    public Cmp withPrefix() {
        return withRange(key.isEmpty() ? Bytes.ZERO : key.prefixEnd());
    }

    /** The left side of a value compare. */
    public static final class ValueOperand {
        private final Bytes key;

        private ValueOperand(Bytes key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        public Cmp equalTo(String v) {
            return equalTo(Bytes.of(v));
        }

        public Cmp equalTo(Bytes v) {
            return make(Result.EQUAL, v);
        }

        public Cmp notEqual(String v) {
            return notEqual(Bytes.of(v));
        }

        public Cmp notEqual(Bytes v) {
            return make(Result.NOT_EQUAL, v);
        }

        public Cmp greater(String v) {
            return greater(Bytes.of(v));
        }

        public Cmp greater(Bytes v) {
            return make(Result.GREATER, v);
        }

        public Cmp less(String v) {
            return less(Bytes.of(v));
        }

        public Cmp less(Bytes v) {
            return make(Result.LESS, v);
        }

        private Cmp make(Result r, Bytes v) {
            return new Cmp(key, Bytes.EMPTY, Target.VALUE, r, 0, Objects.requireNonNull(v, "value"));
        }
    }

    /** The left side of a version, revision or lease compare. */
    public static final class NumberOperand {
        private final Bytes key;
        private final Target target;

        private NumberOperand(Bytes key, Target target) {
            this.key = Objects.requireNonNull(key, "key");
            this.target = target;
        }

        public Cmp equalTo(long n) {
            return make(Result.EQUAL, n);
        }

        public Cmp notEqual(long n) {
            return make(Result.NOT_EQUAL, n);
        }

        public Cmp greater(long n) {
            return make(Result.GREATER, n);
        }

        public Cmp less(long n) {
            return make(Result.LESS, n);
        }

        private Cmp make(Result r, long n) {
            return new Cmp(key, Bytes.EMPTY, target, r, n, Bytes.EMPTY);
        }
    }
}
