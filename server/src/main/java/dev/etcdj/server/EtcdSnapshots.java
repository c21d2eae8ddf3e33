package dev.etcdj.server;

import dev.etcdj.server.internal.snapshot.SnapshotFile;
import dev.etcdj.server.internal.snapshot.SnapshotRestore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * etcd 3.4 snapshot files (what {@code etcdctl snapshot save} writes, from real etcd or from an
 * etcdj server): read their status and restore them into an etcdj data dir, as {@code etcdctl
 * snapshot status} and {@code restore} do. Errors carry etcdctl's texts.
 */
public final class EtcdSnapshots {
    private EtcdSnapshots() {
    }

    /**
     * etcdctl's snapshot status: {@code hash} is CRC-32C (as an unsigned 32-bit value) over every
     * bucket name, key and value; {@code revision} the newest stored revision; {@code totalKey} the
     * entries of all buckets; {@code totalSize} the database size in bytes without the trailer.
     */
    public record Status(long hash, long revision, long totalKey, long totalSize) {
    }

    public static Status status(Path file) throws IOException, SnapshotException {
        SnapshotFile.Status s = SnapshotFile.status(file);
        return new Status(s.hash(), s.revision(), s.totalKey(), s.totalSize());
    }

    /** Restores {@code options.snapshot()} into {@code <dataDir>/rocksdb}; nothing is left behind on failure. */
    public static void restore(RestoreOptions options) throws IOException, SnapshotException {
        SnapshotRestore.restore(new SnapshotRestore.Config(options.snapshot, options.name, options.dataDir(),
                options.walDir, options.peerUrls, options.initialCluster(), options.clusterToken,
                options.skipHashCheck));
    }

    /** etcdctl's restore flags, with its defaults (name "default", peer URL http://localhost:2380, token "etcd-cluster"). */
    public static final class RestoreOptions {
        private final Path snapshot;
        private String name = "default";
        private Path dataDir;
        private Path walDir;
        private List<String> peerUrls = List.of("http://localhost:2380");
        private String initialCluster;
        private String clusterToken = "etcd-cluster";
        private boolean skipHashCheck;

        public RestoreOptions(Path snapshot) {
            this.snapshot = Objects.requireNonNull(snapshot);
        }

        public RestoreOptions name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** Default {@code <name>.etcd}. */
        public RestoreOptions dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Only checked (it must not exist): etcdj keeps its log inside the data dir. */
        public RestoreOptions walDir(Path dir) {
            this.walDir = dir;
            return this;
        }

        public RestoreOptions initialAdvertisePeerUrls(List<String> urls) {
            this.peerUrls = List.copyOf(urls);
            return this;
        }

        /** Default {@code <name>=http://localhost:2380}. */
        public RestoreOptions initialCluster(String cluster) {
            this.initialCluster = cluster;
            return this;
        }

        public RestoreOptions initialClusterToken(String token) {
            this.clusterToken = Objects.requireNonNull(token);
            return this;
        }

        public RestoreOptions skipHashCheck(boolean skip) {
            this.skipHashCheck = skip;
            return this;
        }

        Path dataDir() {
            return dataDir != null ? dataDir : Path.of(name + ".etcd");
        }

        String initialCluster() {
            return initialCluster != null ? initialCluster : name + "=http://localhost:2380";
        }
    }
}
