package dev.etcdj.server.internal.snapshot.bbolt;

import static dev.etcdj.server.internal.snapshot.bbolt.BoltFormat.BRANCH;
import static dev.etcdj.server.internal.snapshot.bbolt.BoltFormat.BUCKET_HEADER;
import static dev.etcdj.server.internal.snapshot.bbolt.BoltFormat.BUCKET_LEAF_FLAG;
import static dev.etcdj.server.internal.snapshot.bbolt.BoltFormat.ELEMENT;
import static dev.etcdj.server.internal.snapshot.bbolt.BoltFormat.LEAF;
import static dev.etcdj.server.internal.snapshot.bbolt.BoltFormat.PAGE_HEADER;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a bbolt database file (read only, memory-mapped; files up to 2 GiB, etcd's default quota).
 * Opening validates the meta pages as bbolt does and picks the valid one with the higher txid;
 * {@link #check()} reports what bbolt's {@code Tx.Check} reports; the visitors walk buckets and
 * their entries in key order. Structural damage found while walking raises a
 * {@link BoltFormatException} instead of reading outside the file.
 */
public final class BoltReader implements AutoCloseable {
    private final FileChannel channel;
    private final ByteBuffer map;
    private final int pageSize;
    private final long root;
    private final long freelist;
    private final long highWater;

    /** Receives one entry; {@code bucket} is true for a nested bucket (its value is then the bucket header). */
    public interface EntryVisitor {
        void entry(byte[] key, byte[] value, boolean bucket) throws IOException;
    }

    private BoltReader(FileChannel channel, ByteBuffer map, int pageSize, long root, long freelist, long highWater) {
        this.channel = channel;
        this.map = map;
        this.pageSize = pageSize;
        this.root = root;
        this.freelist = freelist;
        this.highWater = highWater;
    }

    /** Opens and validates the meta pages, with bbolt's error texts ("invalid database", "checksum error", ...). */
    public static BoltReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new BoltFormatException("database larger than 2 GiB is not supported");
            }
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 0x1000) {
                throw new BoltFormatException("invalid database");
            }
            int pageSize = 0x1000;
            if (validate(map, 0, size) == null) {
                pageSize = map.getInt(PAGE_HEADER + 8);
            }
            if (size < 2L * pageSize) {
                throw new BoltFormatException("file size too small");
            }
            String err0 = validate(map, 0, size);
            String err1 = validate(map, pageSize, size);
            if (err0 != null && err1 != null) {
                throw new BoltFormatException(err0);
            }
            int meta;
            long tx0 = map.getLong(PAGE_HEADER + 48);
            long tx1 = map.getLong(pageSize + PAGE_HEADER + 48);
            if (Long.compareUnsigned(tx1, tx0) > 0) {
                meta = err1 == null ? pageSize : 0;
            } else {
                meta = err0 == null ? 0 : pageSize;
            }
            int o = meta + PAGE_HEADER;
            return new BoltReader(ch, map, pageSize, map.getLong(o + 16), map.getLong(o + 32), map.getLong(o + 40));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static String validate(ByteBuffer map, int pageOffset, long size) {
        if (pageOffset + PAGE_HEADER + BoltFormat.META_SIZE > size) {
            return "invalid database";
        }
        int o = pageOffset + PAGE_HEADER;
        if (map.getInt(o) != BoltFormat.MAGIC) {
            return "invalid database";
        }
        if (map.getInt(o + 4) != BoltFormat.VERSION) {
            return "version mismatch";
        }
        long sum = map.getLong(o + BoltFormat.META_CHECKSUM_OFFSET);
        if (sum != 0 && sum != BoltFormat.fnv64a(map, o, BoltFormat.META_CHECKSUM_OFFSET)) {
            return "checksum error";
        }
        return null;
    }

    /** bbolt's Tx.Size(): high-water page id × page size. */
    public long size() {
        return highWater * pageSize;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Visits the top-level buckets (and any plain entries of the root bucket) in key order. */
    public void forEachRoot(EntryVisitor v) throws IOException {
        walk(root, v);
    }

    /** Visits the entries of the bucket whose header (and inline page) is {@code bucketValue}. */
    public void forEach(byte[] bucketValue, EntryVisitor v) throws IOException {
        ByteBuffer hb = ByteBuffer.wrap(bucketValue).order(ByteOrder.LITTLE_ENDIAN);
        if (bucketValue.length < BUCKET_HEADER) {
            throw new BoltFormatException("bucket header too short");
        }
        long r = hb.getLong(0);
        if (r != 0) {
            walk(r, v);
            return;
        }
        ByteBuffer inline = ByteBuffer.wrap(bucketValue, BUCKET_HEADER, bucketValue.length - BUCKET_HEADER).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        leaf(inline, 0, inline.limit(), v);
    }

    /** Visits the entries of the named top-level bucket; false if there is no such bucket. */
    public boolean forEach(String bucket, EntryVisitor v) throws IOException {
        byte[][] found = new byte[1][];
        byte[] name = bucket.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        forEachRoot((k, val, isBucket) -> {
            if (isBucket && java.util.Arrays.equals(k, name)) {
                found[0] = val;
            }
        });
        if (found[0] == null) {
            return false;
        }
        forEach(found[0], v);
        return true;
    }

    private void walk(long page, EntryVisitor v) throws IOException {
        int off = pageOffset(page);
        int flags = map.getShort(off + 8) & 0xffff;
        int end = off + (int) Math.min((long) (overflow(off) + 1) * pageSize, map.limit() - (long) off);
        if ((flags & LEAF) != 0) {
            leaf(map, off, end, v);
        } else if ((flags & BRANCH) != 0) {
            int count = map.getShort(off + 10) & 0xffff;
            for (int i = 0; i < count; i++) {
                int el = off + PAGE_HEADER + ELEMENT * i;
                if (el + ELEMENT > end) {
                    throw new BoltFormatException("page " + page + ": element out of page");
                }
                walk(map.getLong(el + 8), v);
            }
        } else {
            throw new BoltFormatException("page " + page + ": invalid type: " + type(flags));
        }
    }

    private static void leaf(ByteBuffer b, int off, int end, EntryVisitor v) throws IOException {
        if (off + PAGE_HEADER > end) {
            throw new BoltFormatException("leaf page out of bounds");
        }
        int count = b.getShort(off + 10) & 0xffff;
        for (int i = 0; i < count; i++) {
            int el = off + PAGE_HEADER + ELEMENT * i;
            if (el + ELEMENT > end) {
                throw new BoltFormatException("leaf element out of page");
            }
            int flags = b.getInt(el);
            long pos = Integer.toUnsignedLong(b.getInt(el + 4));
            long ks = Integer.toUnsignedLong(b.getInt(el + 8));
            long vs = Integer.toUnsignedLong(b.getInt(el + 12));
            if (el + pos + ks + vs > end) {
                throw new BoltFormatException("leaf element out of page");
            }
            byte[] k = new byte[(int) ks];
            byte[] val = new byte[(int) vs];
            b.get(el + (int) pos, k);
            b.get(el + (int) (pos + ks), val);
            v.entry(k, val, (flags & BUCKET_LEAF_FLAG) != 0);
        }
    }

    private int overflow(int off) {
        return map.getInt(off + 12);
    }

    private int pageOffset(long page) throws BoltFormatException {
        long off = page * pageSize;
        if (page < 0 || off + PAGE_HEADER > map.limit()) {
            throw new BoltFormatException("page " + page + ": out of bounds: " + highWater);
        }
        return (int) off;
    }

    private static String type(int flags) {
        if ((flags & BRANCH) != 0) {
            return "branch";
        } else if ((flags & LEAF) != 0) {
            return "leaf";
        } else if ((flags & BoltFormat.META) != 0) {
            return "meta";
        } else if ((flags & BoltFormat.FREELIST) != 0) {
            return "freelist";
        }
        return String.format("unknown<%02x>", flags);
    }

    /** The problems bbolt's Tx.Check reports, with its texts: double frees, bad references, lost pages. */
    public List<String> check() throws IOException {
        List<String> errors = new ArrayList<>();
        Set<Long> freed = new HashSet<>();
        if (freelist != BoltFormat.NO_FREELIST) {
            for (long id : freePages()) {
                if (!freed.add(id)) {
                    errors.add("page " + id + ": already freed");
                }
            }
        }
        Map<Long, Long> reachable = new HashMap<>();
        reachable.put(0L, 0L);
        reachable.put(1L, 1L);
        if (freelist != BoltFormat.NO_FREELIST) {
            int off = pageOffset(freelist);
            for (long i = 0; i <= Integer.toUnsignedLong(overflow(off)); i++) {
                reachable.put(freelist + i, freelist);
            }
        }
        checkBucket(root, reachable, freed, errors);
        if (freelist == BoltFormat.NO_FREELIST) {
            // etcd opens bbolt with NoFreelistSync: the freelist is rebuilt as "every page not
            // reachable", so no page can be unreachable and unfreed.
            return errors;
        }
        for (long i = 0; i < highWater; i++) {
            if (!reachable.containsKey(i) && !freed.contains(i)) {
                errors.add("page " + i + ": unreachable unfreed");
            }
        }
        return errors;
    }

    private List<Long> freePages() throws BoltFormatException {
        int off = pageOffset(freelist);
        long count = map.getShort(off + 10) & 0xffff;
        int idx = 0;
        if (count == 0xffff) {
            count = map.getLong(off + PAGE_HEADER);
            idx = 1;
        }
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long p = off + PAGE_HEADER + 8 * (idx + i);
            if (p + 8 > map.limit()) {
                throw new BoltFormatException("freelist out of bounds");
            }
            ids.add(map.getLong((int) p));
        }
        return ids;
    }

    private void checkBucket(long rootPage, Map<Long, Long> reachable, Set<Long> freed, List<String> errors)
            throws IOException {
        if (rootPage == 0) {
            return;
        }
        List<byte[]> children = new ArrayList<>();
        checkPages(rootPage, reachable, freed, errors, children);
        for (byte[] child : children) {
            long r = ByteBuffer.wrap(child).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            checkBucket(r, reachable, freed, errors);
        }
    }

    private void checkPages(long page, Map<Long, Long> reachable, Set<Long> freed, List<String> errors,
            List<byte[]> childBuckets) throws IOException {
        int off = pageOffset(page);
        long id = map.getLong(off);
        if (id > highWater) {
            errors.add("page " + id + ": out of bounds: " + highWater);
        }
        for (long i = 0; i <= Integer.toUnsignedLong(overflow(off)); i++) {
            if (reachable.containsKey(id + i)) {
                errors.add("page " + (id + i) + ": multiple references");
            }
            reachable.put(id + i, id);
        }
        int flags = map.getShort(off + 8) & 0xffff;
        if (freed.contains(id)) {
            errors.add("page " + id + ": reachable freed");
        } else if ((flags & BRANCH) == 0 && (flags & LEAF) == 0) {
            errors.add("page " + id + ": invalid type: " + type(flags));
            return;
        }
        if ((flags & BRANCH) != 0) {
            int count = map.getShort(off + 10) & 0xffff;
            for (int i = 0; i < count; i++) {
                checkPages(map.getLong(off + PAGE_HEADER + ELEMENT * i + 8), reachable, freed, errors, childBuckets);
            }
        } else {
            int end = off + (int) Math.min((long) (overflow(off) + 1) * pageSize, map.limit() - (long) off);
            leaf(map, off, end, (k, v, bucket) -> {
                if (bucket) {
                    childBuckets.add(v);
                }
            });
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
