package dev.etcdj.server.internal.storage;

import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.internal.EtcdException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Checkpoint;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The durable store: one RocksDB instance. Key spaces are separated by a one-byte prefix:
 * <ul>
 *   <li>{@code 'r' main(8) sub(8)} → flag byte (0 put, 1 tombstone) + serialized mvccpb.KeyValue</li>
 *   <li>{@code 'm' name} → meta values (current revision, compact revision, ids, ...)</li>
 *   <li>{@code 'l' id(8)} → lease records</li>
 *   <li>{@code 'a' ...} → alarms</li>
 * </ul>
 * Synced writes are fsynced (WAL) before {@link #write} returns.
 */
public final class Backend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);
    public static final byte REV = 'r';
    public static final byte META = 'm';
    public static final byte LEASE = 'l';
    public static final byte ALARM = 'a';

    static {
        RocksDbNative.load();
    }

    /**
     * Memory bounds, changeable with system properties (e.g. {@code JAVA_OPTS=-Detcdj.rocksdb.block-cache-mb=64}).
     * RocksDB's own defaults (a 64 MiB memtable, two of them, and a 32 MiB block cache) are sized for
     * larger machines; with them and the JVM's default heap the server's resident memory was several
     * times etcd's for 100k keys.
     */
    public static final String WRITE_BUFFER_PROPERTY = "etcdj.rocksdb.write-buffer-mb";
    public static final String BLOCK_CACHE_PROPERTY = "etcdj.rocksdb.block-cache-mb";
    static final long DEFAULT_WRITE_BUFFER_MB = 16;
    static final long DEFAULT_BLOCK_CACHE_MB = 16;

    private static long megabytes(String property, long defaultMb) {
        String v = System.getProperty(property);
        long mb = defaultMb;
        if (v != null && !v.isBlank()) {
            try {
                mb = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " must be a whole number of MiB, not '" + v + "'", e);
            }
            if (mb < 1) {
                throw new IllegalArgumentException(property + " must be at least 1 (MiB), not " + mb);
            }
        }
        return mb << 20;
    }

    private static final org.rocksdb.Range FULL_RANGE = new org.rocksdb.Range(
            new org.rocksdb.Slice(new byte[] {0}), new org.rocksdb.Slice(new byte[] {(byte) 0xff, (byte) 0xff}));

    private final Path dir;
    private final boolean deleteOnClose;
    private final Options options;
    private final LRUCache blockCache;
    private final RocksDB db;
    private final WriteOptions syncWrite;
    private final WriteOptions asyncWrite;
    private volatile boolean closed;
    /** Native handles must never be used after close: every access holds the read side. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock guard =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private void enter() {
        guard.readLock().lock();
        if (closed) {
            guard.readLock().unlock();
            throw EtcdException.of(WireError.STOPPED);
        }
    }

    private void exit() {
        guard.readLock().unlock();
    }

    private Backend(Path dir, boolean deleteOnClose, boolean sync) throws RocksDBException {
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
        this.blockCache = new LRUCache(megabytes(BLOCK_CACHE_PROPERTY, DEFAULT_BLOCK_CACHE_MB));
        this.options = new Options().setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setMaxOpenFiles(256)
                // Replay the WAL up to a torn last record (a crash mid-append: never acknowledged)
                // but refuse to open on corruption anywhere else, where RocksDB's default would
                // stop at the damage and open without every later, acknowledged write.
                .setWalRecoveryMode(org.rocksdb.WALRecoveryMode.TolerateCorruptedTailRecords)
                .setKeepLogFileNum(3)
                .setWriteBufferSize(megabytes(WRITE_BUFFER_PROPERTY, DEFAULT_WRITE_BUFFER_MB))
                .setMaxWriteBufferNumber(2)
                // Index blocks live in the (bounded) block cache rather than beside each open file;
                // those of level 0, read by every lookup, stay there.
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache)
                        .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true))
                // Opening: no pass over every file's properties for compaction statistics, and
                // files opened two at a time (two cores is the machine this is sized for).
                .setSkipStatsUpdateOnDbOpen(true)
                .setMaxFileOpeningThreads(2)
                .setInfoLogLevel(org.rocksdb.InfoLogLevel.WARN_LEVEL)
                // A throw-away store is gone at close: no flush then.
                .setAvoidFlushDuringShutdown(deleteOnClose);
        try {
            this.db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException | RuntimeException e) {
            options.close();
            blockCache.close();
            throw e;
        }
        // Nor a write-ahead log, which nothing would ever replay: RocksDB preallocates a new log
        // on its first write, which cost an in-memory server's start more than opening the store
        // did (measured on /dev/shm, loaded machine: median 10 ms, without a log 0).
        this.syncWrite = new WriteOptions().setSync(sync).setDisableWAL(deleteOnClose);
        this.asyncWrite = new WriteOptions().setSync(false).setDisableWAL(deleteOnClose);
    }

    /** Opens (creating if needed) a durable store in {@code dir}. */
    public static Backend open(Path dir) {
        try {
            Files.createDirectories(dir);
            return new Backend(dir, false, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open RocksDB in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Free space a RAM-backed file system must have to hold throw-away stores: 1 GiB. */
    private static final long RAM_DIR_MIN_FREE = 1L << 30;

    /**
     * A throw-away store in a temp dir, deleted on close; writes are not fsynced. The dir is on
     * {@code /dev/shm} (RAM) when that has room, else in {@code java.io.tmpdir}: RocksDB syncs its
     * manifest and directory when it opens a store, which on a disk costs most of an in-memory
     * server's start (measured: median 83 ms to open on disk, 8 ms on /dev/shm, loaded machine).
     */
    public static Backend openTemporary() {
        try {
            Path ram = ramDir();
            Path tmp = ram != null ? Files.createTempDirectory(ram, "etcdj-mem-") : Files.createTempDirectory("etcdj-mem-");
            return new Backend(tmp, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code /dev/shm} if it is there, writable and has room for throw-away stores; else null. */
    private static Path ramDir() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm)
                    && Files.getFileStore(shm).getUsableSpace() >= RAM_DIR_MIN_FREE) {
                return shm;
            }
        } catch (IOException e) {
            LOG.atDebug().setCause(e).log("/dev/shm not usable for throw-away stores; using the temp dir");
        }
        return null;
    }

    public Path dir() {
        return dir;
    }

    public byte[] get(byte[] key) {
        enter();
        try {
            try {
                return db.get(key);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        } finally {
            exit();
        }
    }

    /** Told the duration of every write (metrics); must be fast and must not throw. */
    public interface WriteObserver {
        void written(long nanos, boolean synced);
    }

    private volatile WriteObserver writeObserver = (nanos, synced) -> { };

    public void onWrite(WriteObserver observer) {
        this.writeObserver = observer;
    }

    public void write(WriteBatch batch, boolean sync) {
        enter();
        try {
            try {
                long t0 = System.nanoTime();
                db.write(sync ? syncWrite : asyncWrite, batch);
                writeObserver.written(System.nanoTime() - t0, sync);
            } catch (RocksDBException e) {
                throw new IllegalStateException("backend write failed: " + e.getMessage(), e);
            }
        } finally {
            exit();
        }
    }

    /** Visits keys starting at {@code from} while they carry {@code prefix} and the visitor returns true. */
    public void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        iterate(new ReadOptions(), from == null ? prefix : from, it -> {
            byte[] k = it.key();
            return startsWith(k, prefix) && visitor.test(k, it.value());
        });
    }

    /** Told each entry of a {@link #scanOnce}; the arrays are reused: copy what you keep. */
    public interface EntryVisitor {
        void visit(byte[] key, int keyLength, byte[] value, int valueLength);
    }

    /** Read-ahead of a whole-space scan: a start-up reads each file front to back once. */
    private static final long SCAN_READ_AHEAD = 2L << 20;

    /**
     * Visits every key carrying {@code prefix}, in order, as a start-up rebuild reads them: nothing is
     * allocated per entry (key and value are copied into buffers reused from one call to the next),
     * the blocks read are not kept in the block cache (they would push out what clients read, and
     * fill the cache for nothing: the rebuild reads each block once), and files are read ahead.
     */
    public void scanOnce(byte[] prefix, EntryVisitor visitor) {
        byte[][] buf = {new byte[64], new byte[1024]};
        iterate(new ReadOptions().setFillCache(false).setReadaheadSize(SCAN_READ_AHEAD), prefix, it -> {
            int kl = it.key(buf[0]);
            if (kl > buf[0].length) {
                buf[0] = new byte[Math.max(kl, 2 * buf[0].length)];
                kl = it.key(buf[0]);
            }
            if (!startsWith(buf[0], kl, prefix)) {
                return false;
            }
            int vl = it.value(buf[1]);
            if (vl > buf[1].length) {
                buf[1] = new byte[Math.max(vl, 2 * buf[1].length)];
                vl = it.value(buf[1]);
            }
            visitor.visit(buf[0], kl, buf[1], vl);
            return true;
        });
    }

    /** Seeks, then steps forward while the visitor returns true; takes ownership of {@code options}. */
    private void iterate(ReadOptions options, byte[] seek, java.util.function.Predicate<RocksIterator> visitor) {
        try {
            enter();
        } catch (RuntimeException closed) {
            options.close();
            throw closed;
        }
        try (ReadOptions ro = options; RocksIterator it = db.newIterator(ro)) {
            it.seek(seek);
            while (it.isValid()) {
                if (!visitor.test(it)) {
                    return;
                }
                it.next();
            }
            // An iterator also stops on an error (a corrupt block, an I/O failure): without
            // this check a scan would end early and the keys past the damage would silently
            // be missing (from the index rebuilt at start-up, from a range, from a snapshot).
            it.status();
        } catch (RocksDBException e) {
            throw new IllegalStateException("backend read failed: " + e.getMessage(), e);
        } finally {
            exit();
        }
    }

    private static boolean startsWith(byte[] k, byte[] prefix) {
        return startsWith(k, k.length, prefix);
    }

    private static boolean startsWith(byte[] k, int kLength, byte[] prefix) {
        if (kLength < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (k[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Full compaction of the LSM tree: the RocksDB analogue of bbolt's defragment. */
    public void compactAll() {
        enter();
        try {
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                db.flush(fo);
                db.compactRange();
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        } finally {
            exit();
        }
    }

    /** Bytes the store occupies on disk (SST files + WAL + memtables not yet flushed). */
    public long size() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return sizeInUse();
        }
    }

    /** Cheap estimate of the logical data size, used for the quota. */
    public long sizeInUse() {
        enter();
        try {
            try {
                long mem = db.getApproximateMemTableStats(FULL_RANGE).size;
                return db.getLongProperty("rocksdb.estimate-live-data-size") + mem;
            } catch (RocksDBException e) {
                return 0;
            }
        } finally {
            exit();
        }
    }

    /** Writes a consistent RocksDB checkpoint (hard links where possible) into a new directory. */
    public void checkpoint(Path target) {
        enter();
        try {
            try (Checkpoint cp = Checkpoint.create(db)) {
                cp.createCheckpoint(target.toString());
            } catch (RocksDBException e) {
                throw new IllegalStateException("checkpoint failed: " + e.getMessage(), e);
            }
        } finally {
            exit();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        guard.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeNative();
        } finally {
            guard.writeLock().unlock();
        }
        if (deleteOnClose) {
            deleteRecursively(dir);
        }
    }

    private void closeNative() {
        if (!deleteOnClose) {
            // The WAL synced, then the memtables written to a table file: else the next open replays
            // the WAL and writes that file on the restart's critical path (100k keys: ~60 ms CPU).
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                db.syncWal();
                db.flush(fo);
            } catch (RocksDBException e) {
                // every acknowledged write was already synced: the next start replays the WAL
                LOG.atWarn().setCause(e).log("failed to sync the RocksDB WAL or flush its memtable at close");
            }
        }
        db.close();
        syncWrite.close();
        asyncWrite.close();
        options.close();
        blockCache.close();
    }

    public static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    LOG.atWarn().addKeyValue("path", f).addKeyValue("error", e.toString()).log("failed to delete");
                }
            });
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("path", p).addKeyValue("error", e.toString()).log("failed to delete");
        }
    }

    // ---- key encoding helpers ----

    public static byte[] revKey(long main, long sub) {
        byte[] k = new byte[17];
        k[0] = REV;
        putLong(k, 1, main);
        putLong(k, 9, sub);
        return k;
    }

    public static byte[] metaKey(String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] k = new byte[n.length + 1];
        k[0] = META;
        System.arraycopy(n, 0, k, 1, n.length);
        return k;
    }

    public static byte[] leaseKey(long id) {
        byte[] k = new byte[9];
        k[0] = LEASE;
        putLong(k, 1, id);
        return k;
    }

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    public static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }

    /** WriteBatch.put without the checked exception. */
    public static void put(WriteBatch b, byte[] k, byte[] v) {
        try {
            b.put(k, v);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void delete(WriteBatch b, byte[] k) {
        try {
            b.delete(k);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    public long getMetaLong(String name, long dflt) {
        byte[] v = get(metaKey(name));
        return v == null ? dflt : getLong(v, 0);
    }
}
