package dev.etcdj.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable sequence of bytes: etcd's keys and values. Strings convert as UTF-8, but any bytes
 * work (0x00 and 0xFF included). Ordered the way etcd orders keys: unsigned, lexicographic.
 */
public final class Bytes implements Comparable<Bytes> {

    public static final Bytes EMPTY = new Bytes(new byte[0]);
    /** etcd's "\x00": as a range end it means "every key greater than or equal to the key". */
    public static final Bytes ZERO = new Bytes(new byte[] {0});

    private final byte[] bytes;
    private int hash;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Bytes of(String utf8) {
        return utf8.isEmpty() ? EMPTY : new Bytes(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies the array, so later changes to it do not show. */
    public static Bytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    public static Bytes of(byte[] bytes, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /**
     * Wraps the array without copying. The caller promises never to change it again: for decoders
     * that own a freshly made array.
     */
    public static Bytes wrap(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The backing array, not copied: callers must not change it. For encoders on the hot path. */
    public byte[] unsafeArray() {
        return bytes;
    }

    public String toStringUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public boolean startsWith(Bytes prefix) {
        return prefix.bytes.length <= bytes.length
                && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    public Bytes concat(Bytes other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        byte[] joined = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, joined, bytes.length, other.bytes.length);
        return new Bytes(joined);
    }

    public Bytes substring(int from) {
        return from == 0 ? this : of(bytes, from, bytes.length - from);
    }

    /**
     * The end of the range of every key starting with this prefix: drop trailing 0xFF bytes, then
     * add one to the last byte. When every byte is 0xFF (or there is none) the range has no upper
     * bound, which etcd spells "\x00".
     */
    public Bytes prefixEnd() {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(bytes, i + 1);
                end[i]++;
                return new Bytes(end);
            }
        }
        return ZERO;
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Bytes b && Arrays.equals(bytes, b.bytes));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** The bytes as UTF-8 text; use {@link #toStringUtf8()} when that is what you mean. */
    @Override
    public String toString() {
        return toStringUtf8();
    }
}
