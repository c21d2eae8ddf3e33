package dev.etcdj.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Makes the keys of a run: a prefix followed by a zero-padded decimal index in [0, keySpace),
 * padded so that every key has at least {@code keySize} bytes. Sequential runs walk the index
 * space in order (wrapping around); the others draw from it uniformly. Readable keys make a run
 * easy to inspect with etcdctl afterwards.
 */
public final class KeyGenerator {

    private final byte[] prefix;
    private final int digits;
    private final long keySpace;
    private final boolean sequential;

    public KeyGenerator(String prefix, int keySize, long keySpace, boolean sequential) {
        if (keySpace < 1) {
            throw new IllegalArgumentException("key space must be at least 1: " + keySpace);
        }
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
        int needed = Long.toString(keySpace - 1).length();
        this.digits = Math.max(needed, keySize - this.prefix.length);
        this.keySpace = keySpace;
        this.sequential = sequential;
    }

    public byte[] prefix() {
        return prefix.clone();
    }

    public long keySpace() {
        return keySpace;
    }

    public int keyLength() {
        return prefix.length + digits;
    }

    /** The key of the n-th request of a run; {@code random} is the calling worker's own generator. */
    public byte[] key(long n, SplittableRandom random) {
        long index = sequential ? Math.floorMod(n, keySpace) : random.nextLong(keySpace);
        return keyAt(index);
    }

    public byte[] keyAt(long index) {
        byte[] key = new byte[prefix.length + digits];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        long v = index;
        for (int i = key.length - 1; i >= prefix.length; i--) {
            key[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return key;
    }
}
