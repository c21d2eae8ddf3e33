package dev.etcdj.server.internal.mvcc;

import com.google.protobuf.ByteString;

/**
 * etcd's range-end rules: empty end = the single key; end "\x00" = every key ≥ key;
 * otherwise [key, end), empty when end ≤ key.
 */
public final class KeyRange {
    private final byte[] key;
    private final byte[] end; // null = single key; length 0 = unbounded

    private KeyRange(byte[] key, byte[] end) {
        this.key = key;
        this.end = end;
    }

    public static KeyRange of(ByteString key, ByteString rangeEnd) {
        return of(key.toByteArray(), rangeEnd.toByteArray());
    }

    public static KeyRange of(byte[] key, byte[] rangeEnd) {
        if (rangeEnd.length == 0) {
            return new KeyRange(key, null);
        }
        if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
            return new KeyRange(key, new byte[0]);
        }
        return new KeyRange(key, rangeEnd);
    }

    public byte[] key() {
        return key;
    }

    public boolean isSingle() {
        return end == null;
    }

    public boolean isUnbounded() {
        return end != null && end.length == 0;
    }

    /** Exclusive end, or null for single or unbounded. */
    public byte[] end() {
        return end == null || end.length == 0 ? null : end;
    }

    public boolean isEmpty() {
        return end != null && end.length > 0 && ByteKey.compare(end, key) <= 0;
    }

    public boolean contains(byte[] k) {
        if (end == null) {
            return java.util.Arrays.equals(k, key);
        }
        if (ByteKey.compare(k, key) < 0) {
            return false;
        }
        return end.length == 0 || ByteKey.compare(k, end) < 0;
    }

    /** Whether a point k falls inside [key, end) or equals the single key. */
    public boolean intersectsPoint(byte[] k) {
        return contains(k);
    }
}
