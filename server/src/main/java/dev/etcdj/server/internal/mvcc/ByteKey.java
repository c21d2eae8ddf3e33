package dev.etcdj.server.internal.mvcc;

import com.google.protobuf.ByteString;
import java.util.Arrays;

/** An immutable byte-string key ordered like etcd orders keys (unsigned lexicographic). */
public final class ByteKey implements Comparable<ByteKey> {
    private final byte[] bytes;
    private int hash;

    private ByteKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ByteKey wrap(byte[] bytes) {
        return new ByteKey(bytes);
    }

    public static ByteKey of(ByteString s) {
        return new ByteKey(s.toByteArray());
    }

    public byte[] bytes() {
        return bytes;
    }

    public ByteString toByteString() {
        return ByteString.copyFrom(bytes);
    }

    @Override
    public int compareTo(ByteKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
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

    @Override
    public String toString() {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
