package dev.etcdj.server.internal.snapshot;

import dev.etcdj.server.SnapshotException;
import dev.etcdj.server.internal.snapshot.bbolt.BoltFormatException;
import dev.etcdj.server.internal.snapshot.bbolt.BoltReader;
import dev.etcdj.server.internal.storage.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code etcdctl snapshot restore} for an etcdj data dir: the same checks in etcd's order (local
 * member in the initial cluster, data dir absent, SHA-256 trailer), the same member and cluster ids
 * (SHA-1 of the sorted peer URLs and the cluster token; SHA-1 of the sorted member ids), then the
 * file is loaded into a store built beside the data dir and moved into place in one rename, so a
 * failed restore leaves nothing behind.
 */
public final class SnapshotRestore {
    /** etcdctl's restore flags, with its defaults. */
    public record Config(Path snapshot, String name, Path dataDir, Path walDir, List<String> peerUrls,
            String initialCluster, String clusterToken, boolean skipHashCheck) {
    }

    private SnapshotRestore() {
    }

    /** Restores into {@code <dataDir>/rocksdb}; the data dir must not exist. */
    public static void restore(Config c) throws IOException, SnapshotException {
        Map<String, List<String>> cluster = parseCluster(c.initialCluster());
        if (!cluster.containsKey(c.name())) {
            throw new SnapshotException("couldn't find local name \"" + c.name() + "\" in the initial cluster configuration");
        }
        List<String> own = new ArrayList<>(cluster.get(c.name()));
        List<String> advertised = new ArrayList<>(c.peerUrls());
        own.sort(null);
        advertised.sort(null);
        if (!own.equals(advertised)) {
            throw new SnapshotException("--initial-cluster has " + c.name() + "=" + String.join(",", own)
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertised));
        }
        if (cluster.size() != 1) {
            throw new SnapshotException("etcdj runs a single member: --initial-cluster must list only \""
                    + c.name() + "\", not " + cluster.size() + " members");
        }
        if (Files.exists(c.dataDir())) {
            throw new SnapshotException("data-dir \"" + c.dataDir() + "\" exists");
        }
        if (c.walDir() != null && Files.exists(c.walDir())) {
            throw new SnapshotException("wal-dir \"" + c.walDir() + "\" exists");
        }
        if (!Files.exists(c.snapshot())) {
            throw new SnapshotException("open " + c.snapshot() + ": no such file or directory");
        }
        SnapshotFile.verify(c.snapshot(), c.skipHashCheck());
        long memberId = memberId(own, c.clusterToken());
        EtcdImport.Identity id = new EtcdImport.Identity(memberId, clusterId(List.of(memberId)), own);
        load(c.snapshot(), c.dataDir(), id);
    }

    /** Loads a verified snapshot into a new data dir, all or nothing. */
    public static void load(Path snapshot, Path dataDir, EtcdImport.Identity id) throws IOException, SnapshotException {
        Path parent = dataDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dataDir.getFileName() + ".restore-");
        try {
            try (BoltReader db = BoltReader.open(snapshot); Backend target = Backend.open(tmp.resolve("rocksdb"))) {
                EtcdImport.load(db, target, id);
            } catch (BoltFormatException e) {
                throw new SnapshotException(e.getMessage());
            }
            Files.move(tmp, dataDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Backend.deleteRecursively(tmp);
        }
    }

    /** {@code name=url,name=url2,...} → name → URLs, in order. */
    static Map<String, List<String>> parseCluster(String s) throws SnapshotException {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new SnapshotException("parse " + part + ": invalid initial cluster");
            }
            m.computeIfAbsent(part.substring(0, eq).trim(), k -> new ArrayList<>()).add(part.substring(eq + 1).trim());
        }
        return m;
    }

    /** etcd's membership.NewMember id: first 8 bytes of SHA-1(sorted peer URLs joined + token). */
    public static long memberId(List<String> peerUrls, String token) {
        List<String> sorted = new ArrayList<>(peerUrls);
        sorted.sort(null);
        return first8(sha1((String.join("", sorted) + token).getBytes(StandardCharsets.UTF_8)));
    }

    /** etcd's RaftCluster.genID: first 8 bytes of SHA-1 of the sorted member ids (8 bytes BE each). */
    public static long clusterId(List<Long> memberIds) {
        List<Long> sorted = new ArrayList<>(memberIds);
        sorted.sort(Long::compareUnsigned);
        ByteBuffer b = ByteBuffer.allocate(8 * sorted.size());
        sorted.forEach(b::putLong);
        return first8(sha1(b.array()));
    }

    private static byte[] sha1(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long first8(byte[] h) {
        return ByteBuffer.wrap(h).getLong();
    }
}
