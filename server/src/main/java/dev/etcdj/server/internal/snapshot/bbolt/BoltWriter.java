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
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a fresh bbolt database in one pass: top-level buckets in name order, each fed its entries
 * in key order. Leaf pages are written as soon as they fill, so only one page of entries plus the
 * first key of every page is held in memory. A bucket whose page would take at most a quarter page
 * is stored inline in its parent, as bbolt does. The file ends with the root bucket's pages, an
 * empty freelist (page 2) and two meta pages (0 and 1); every page below the high-water mark is
 * reachable, so bbolt's consistency check passes.
 */
public final class BoltWriter {
    public static final int DEFAULT_PAGE_SIZE = 4096;

    private final FileChannel out;
    private final int pageSize;
    private long nextPage = 3;
    private final List<Entry> rootEntries = new ArrayList<>();
    private byte[] lastBucket;
    private boolean finished;

    private record Entry(byte[] key, byte[] value, int flags) {
        int size() {
            return ELEMENT + key.length + value.length;
        }
    }

    private record Child(byte[] firstKey, long page) {
    }

    public BoltWriter(FileChannel out) {
        this(out, DEFAULT_PAGE_SIZE);
    }

    public BoltWriter(FileChannel out, int pageSize) {
        this.out = out;
        this.pageSize = pageSize;
    }

    /** Starts the next top-level bucket; names must come in strictly increasing byte order. */
    public BucketWriter bucket(byte[] name) {
        if (finished) {
            throw new IllegalStateException("database already finished");
        }
        if (lastBucket != null && BoltFormat.compare(lastBucket, name) >= 0) {
            throw new IllegalArgumentException("buckets must be added in key order");
        }
        lastBucket = name.clone();
        return new BucketWriter(name.clone());
    }

    /** Receives one bucket's entries in strictly increasing key order; {@link #close} stores it. */
    public final class BucketWriter implements AutoCloseable {
        private final byte[] name;
        private final List<Entry> pending = new ArrayList<>();
        private int pendingSize = PAGE_HEADER;
        private final List<Child> leaves = new ArrayList<>();
        private byte[] lastKey;
        private boolean paged;
        private boolean closed;

        private BucketWriter(byte[] name) {
            this.name = name;
        }

        public void put(byte[] key, byte[] value) throws IOException {
            if (key.length == 0) {
                throw new IllegalArgumentException("key required");
            }
            if (lastKey != null && BoltFormat.compare(lastKey, key) >= 0) {
                throw new IllegalArgumentException("keys must be added in increasing order");
            }
            lastKey = key;
            Entry e = new Entry(key, value, 0);
            if (paged && full(pending.size(), pendingSize, e.size())) {
                leaves.add(new Child(pending.get(0).key(), writeNode(pending, LEAF)));
                pending.clear();
                pendingSize = PAGE_HEADER;
            }
            pending.add(e);
            pendingSize += e.size();
            if (!paged && pendingSize > pageSize / 4) {
                paged = true;
                flushFullPages();
            }
        }

        /** After switching to paged mode: writes pages while more than one page is buffered. */
        private void flushFullPages() throws IOException {
            List<Entry> rest = new ArrayList<>(pending);
            pending.clear();
            List<Entry> page = writeFullPages(rest, leaves);
            pending.addAll(page);
            pendingSize = PAGE_HEADER + page.stream().mapToInt(Entry::size).sum();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            byte[] value;
            if (!paged) {
                ByteBuffer b = buffer(BUCKET_HEADER + pendingSize);
                b.putLong(0, 0).putLong(8, 0);
                encodeNode(b.slice(BUCKET_HEADER, pendingSize).order(ByteOrder.LITTLE_ENDIAN), 0, pending, LEAF, 0);
                value = b.array();
            } else {
                if (!pending.isEmpty()) {
                    leaves.add(new Child(pending.get(0).key(), writeNode(pending, LEAF)));
                    pending.clear();
                }
                long root = writeBranches(leaves);
                value = new byte[BUCKET_HEADER];
                ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).putLong(0, root).putLong(8, 0);
            }
            rootEntries.add(new Entry(name, value, BUCKET_LEAF_FLAG));
        }
    }

    /**
     * Writes the root bucket, the freelist and the meta pages and returns the database size
     * (high-water page × page size). The channel is left open and positioned nowhere in particular.
     */
    public long finish() throws IOException {
        finished = true;
        long root = writeTree(rootEntries);
        ByteBuffer free = buffer(pageSize);
        free.putLong(0, 2).putShort(8, (short) BoltFormat.FREELIST);
        write(free, 2);
        long highWater = nextPage;
        for (int i = 0; i < 2; i++) {
            ByteBuffer m = buffer(pageSize);
            m.putLong(0, i).putShort(8, (short) BoltFormat.META);
            int o = PAGE_HEADER;
            m.putInt(o, BoltFormat.MAGIC).putInt(o + 4, BoltFormat.VERSION).putInt(o + 8, pageSize).putInt(o + 12, 0)
                    .putLong(o + 16, root).putLong(o + 24, 0).putLong(o + 32, 2).putLong(o + 40, highWater)
                    .putLong(o + 48, i);
            m.putLong(o + BoltFormat.META_CHECKSUM_OFFSET, BoltFormat.fnv64a(m, o, BoltFormat.META_CHECKSUM_OFFSET));
            write(m, i);
        }
        return highWater * pageSize;
    }

    /**
     * Writes {@code entries} (sorted) as leaf pages, each filled until the next entry would not fit,
     * adding them to {@code leaves}; returns the entries of the last page, not written yet.
     */
    private List<Entry> writeFullPages(List<Entry> entries, List<Child> leaves) throws IOException {
        List<Entry> page = new ArrayList<>();
        int size = PAGE_HEADER;
        for (Entry e : entries) {
            if (full(page.size(), size, e.size())) {
                leaves.add(new Child(page.get(0).key(), writeNode(page, LEAF)));
                page = new ArrayList<>();
                size = PAGE_HEADER;
            }
            page.add(e);
            size += e.size();
        }
        return page;
    }

    /** Writes entries (sorted) as leaf pages plus the branch levels above them; returns the root page. */
    private long writeTree(List<Entry> entries) throws IOException {
        List<Child> leaves = new ArrayList<>();
        List<Entry> page = writeFullPages(entries, leaves);
        if (!page.isEmpty() || leaves.isEmpty()) {
            leaves.add(new Child(page.isEmpty() ? new byte[0] : page.get(0).key(), writeNode(page, LEAF)));
        }
        return writeBranches(leaves);
    }

    private long writeBranches(List<Child> level) throws IOException {
        while (level.size() > 1) {
            List<Child> up = new ArrayList<>();
            List<Entry> page = new ArrayList<>();
            int size = PAGE_HEADER;
            for (Child c : level) {
                Entry e = new Entry(c.firstKey(), pageRef(c.page()), 0);
                int s = ELEMENT + c.firstKey().length;
                if (full(page.size(), size, s)) {
                    up.add(new Child(page.get(0).key(), writeNode(page, BRANCH)));
                    page = new ArrayList<>();
                    size = PAGE_HEADER;
                }
                page.add(e);
                size += s;
            }
            up.add(new Child(page.get(0).key(), writeNode(page, BRANCH)));
            level = up;
        }
        return level.get(0).page();
    }

    /**
     * Whether a node of {@code count} elements and {@code size} bytes takes no more: it holds at
     * least two (bbolt's minKeysPerPage, which also makes every branch level at least halve), and
     * beyond that only what fits in one page. A bigger node spans overflow pages.
     */
    private boolean full(int count, int size, int more) {
        return count >= 2 && size + more > pageSize;
    }

    private static byte[] pageRef(long page) {
        byte[] b = new byte[8];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, page);
        return b;
    }

    /** Encodes one node on as many consecutive pages as it needs and writes it; returns its first page id. */
    private long writeNode(List<Entry> entries, int type) throws IOException {
        int size = PAGE_HEADER;
        for (Entry e : entries) {
            size += ELEMENT + e.key().length + (type == LEAF ? e.value().length : 0);
        }
        int pages = (size + pageSize - 1) / pageSize;
        long id = nextPage;
        nextPage += pages;
        ByteBuffer b = buffer(pages * pageSize);
        encodeNode(b, id, entries, type, pages - 1);
        write(b, id);
        return id;
    }

    private static void encodeNode(ByteBuffer b, long id, List<Entry> entries, int type, int overflow) {
        b.putLong(0, id).putShort(8, (short) type).putShort(10, (short) entries.size()).putInt(12, overflow);
        int data = PAGE_HEADER + ELEMENT * entries.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int el = PAGE_HEADER + ELEMENT * i;
            if (type == LEAF) {
                b.putInt(el, e.flags()).putInt(el + 4, data - el).putInt(el + 8, e.key().length)
                        .putInt(el + 12, e.value().length);
                b.put(data, e.key());
                b.put(data + e.key().length, e.value());
                data += e.key().length + e.value().length;
            } else {
                b.putInt(el, data - el).putInt(el + 4, e.key().length).put(el + 8, e.value());
                b.put(data, e.key());
                data += e.key().length;
            }
        }
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void write(ByteBuffer b, long page) throws IOException {
        long pos = page * pageSize;
        b.position(0);
        while (b.hasRemaining()) {
            pos += out.write(b, pos);
        }
    }
}
