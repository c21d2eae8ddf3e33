package dev.etcdj.server.internal.snapshot.bbolt;

import java.nio.ByteBuffer;

/**
 * Constants and the few byte-level helpers of bbolt's on-disk format (bbolt 1.3.x, as etcd 3.4
 * writes it), all little-endian:
 * <ul>
 *   <li>every page starts with a 16-byte header: id (u64), flags (u16), count (u16), overflow
 *       (u32, the number of extra pages a node spans);</li>
 *   <li>pages 0 and 1 are meta pages: magic, version, page size, flags, root bucket (root page id,
 *       sequence), freelist page id, high-water page id, transaction id, and an FNV-64a checksum
 *       of the meta bytes before it; a reader uses the valid one with the higher txid;</li>
 *   <li>a leaf page holds {@code count} 16-byte elements (flags, pos, ksize, vsize), a branch page
 *       {@code count} 16-byte elements (pos, ksize, child page id); {@code pos} is counted from the
 *       element itself to its key, and a leaf's value follows its key;</li>
 *   <li>a leaf element with flag 1 is a nested bucket whose value is a bucket header (root page
 *       id, sequence); a root of 0 means the bucket is inline: a leaf page image follows the header;</li>
 *   <li>the freelist page lists free page ids (u64 each); a count of 0xFFFF means the real count is
 *       the first u64.</li>
 * </ul>
 */
final class BoltFormat {
    static final int MAGIC = 0xED0CDAED;
    static final int VERSION = 2;
    static final int PAGE_HEADER = 16;
    static final int ELEMENT = 16;
    static final int BUCKET_HEADER = 16;
    static final int META_SIZE = 64;
    /** Offset of the checksum inside the meta struct. */
    static final int META_CHECKSUM_OFFSET = 56;

    static final int BRANCH = 0x01;
    static final int LEAF = 0x02;
    static final int META = 0x04;
    static final int FREELIST = 0x10;
    static final int BUCKET_LEAF_FLAG = 0x01;
    static final long NO_FREELIST = -1L;

    private BoltFormat() {
    }

    /** FNV-1a, 64 bit, as Go's hash/fnv New64a. */
    static long fnv64a(ByteBuffer b, int off, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < len; i++) {
            h ^= b.get(off + i) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }
}
