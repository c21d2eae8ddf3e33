package dev.etcdj.server.internal.snapshot;

import dev.etcdj.server.internal.Membership;
import dev.etcdj.server.internal.ServerCore;
import dev.etcdj.server.internal.snapshot.bbolt.BoltWriter;
import dev.etcdj.server.internal.storage.Backend;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Exports a running server's store in etcd's format: a RocksDB checkpoint (a consistent point in
 * time, taken without stopping writers) is opened read-only and translated by {@link EtcdExport}
 * into a bbolt file, or into etcd's whole-backend Hash.
 */
public final class SnapshotExporter {
    private final ServerCore core;

    public SnapshotExporter(ServerCore core) {
        this.core = core;
    }

    /** The members bucket of this server: ourselves plus the learner it may list. */
    public MembersBucket membership() {
        List<MembersBucket.Member> members = new ArrayList<>();
        List<String> clientUrls = core.config().advertiseClientUrls().isEmpty()
                ? core.config().listenClientUrls() : core.config().advertiseClientUrls();
        Membership m = core.membership();
        members.add(new MembersBucket.Member(core.memberId(), core.config().name(), m.peerUrls(), clientUrls, false));
        Membership.ExtraMember extra = m.extraMember();
        if (extra != null) {
            members.add(new MembersBucket.Member(extra.id(), "", extra.peerUrls(), List.of(), extra.listedAsLearner()));
        }
        return new MembersBucket(core.clusterId(), members);
    }

    /** Writes the bbolt database (without the SHA-256 trailer) to {@code file}; returns its size. */
    public long writeDb(Path file) throws IOException {
        return withCheckpoint(backend -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                BoltWriter w = new BoltWriter(ch);
                new EtcdExport(backend, membership()).writeTo(new BoltSink(w));
                long size = w.finish();
                ch.force(true);
                return size;
            }
        });
    }

    /**
     * etcd's Maintenance.Hash: CRC-32C over every bucket name and every key and value of the
     * backend, in bbolt's order, leaving out meta/consistent_index.
     */
    public int hash() throws IOException {
        return withCheckpoint(backend -> {
            CRC32C crc = new CRC32C();
            new EtcdExport(backend, membership()).writeTo(new BucketSink() {
                private boolean meta;

                @Override
                public void begin(String bucket) {
                    meta = bucket.equals(EtcdLayout.META);
                    crc.update(EtcdLayout.bytes(bucket));
                }

                @Override
                public void put(byte[] key, byte[] value) {
                    if (meta && java.util.Arrays.equals(key, EtcdLayout.bytes(EtcdLayout.CONSISTENT_INDEX))) {
                        return;
                    }
                    crc.update(key);
                    crc.update(value);
                }

                @Override
                public void end() {
                }
            });
            return (int) crc.getValue();
        });
    }

    private interface BackendFunction<T> {
        T apply(Backend backend) throws IOException;
    }

    private <T> T withCheckpoint(BackendFunction<T> f) throws IOException {
        Path tmp = Files.createTempDirectory("etcdj-export-");
        try {
            Path cp = tmp.resolve("db");
            core.backend().checkpoint(cp);
            try (Backend copy = Backend.open(cp)) {
                return f.apply(copy);
            }
        } finally {
            Backend.deleteRecursively(tmp);
        }
    }

    /** Adapts the bucket stream to the bbolt writer. */
    static final class BoltSink implements BucketSink {
        private final BoltWriter writer;
        private BoltWriter.BucketWriter current;

        BoltSink(BoltWriter writer) {
            this.writer = writer;
        }

        @Override
        public void begin(String bucket) {
            current = writer.bucket(EtcdLayout.bytes(bucket));
        }

        @Override
        public void put(byte[] key, byte[] value) throws IOException {
            current.put(key, value);
        }

        @Override
        public void end() throws IOException {
            current.close();
            current = null;
        }
    }
}
