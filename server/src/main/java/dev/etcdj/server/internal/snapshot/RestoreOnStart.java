package dev.etcdj.server.internal.snapshot;

import dev.etcdj.server.SnapshotException;
import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.storage.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code EtcdServer.builder().restoreFrom(file)}: before the store opens, loads the snapshot into
 * the data dir (which must not hold a store yet), or into a temp dir for an in-memory server. The
 * member gets the id etcdctl's restore would give it (peer URLs + the default cluster token).
 */
public final class RestoreOnStart {
    private final Path snapshot;
    private Path tempDir;

    public RestoreOnStart(Path snapshot) {
        this.snapshot = snapshot;
    }

    /** Restores and returns the config to open the store with (its data dir set for an in-memory server). */
    public ServerConfig restore(ServerConfig config) {
        Path rocks = config.dataDir();
        if (rocks == null) {
            try {
                tempDir = Files.createTempDirectory("etcdj-restored-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rocks = tempDir.resolve("data").resolve("rocksdb");
        }
        Path dataDir = rocks.getParent();
        if (Files.exists(rocks)) {
            throw new IllegalStateException("cannot restore " + snapshot + ": data-dir \"" + dataDir + "\" exists");
        }
        try {
            if (!Files.exists(snapshot)) {
                throw new SnapshotException("open " + snapshot + ": no such file or directory");
            }
            if (SnapshotFile.hasTrailer(Files.size(snapshot))) {
                SnapshotFile.verify(snapshot, false);
            }
            long member = SnapshotRestore.memberId(config.peerUrls(), "etcd-cluster");
            Path staging = dataDir.resolveSibling(dataDir.getFileName() + ".restoring");
            Backend.deleteRecursively(staging);
            SnapshotRestore.load(snapshot, staging,
                    new EtcdImport.Identity(member, SnapshotRestore.clusterId(List.of(member)), config.peerUrls()));
            Files.createDirectories(dataDir);
            Files.move(staging.resolve("rocksdb"), rocks, StandardCopyOption.ATOMIC_MOVE);
            Backend.deleteRecursively(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + snapshot + ": " + e.getMessage(), e);
        } catch (SnapshotException e) {
            throw new IllegalStateException("cannot restore " + snapshot + ": " + e.getMessage(), e);
        }
        return config.withDataDir(rocks);
    }

    /** Deletes the temp dir of an in-memory server, if there is one. */
    public void cleanUp() {
        if (tempDir != null) {
            Backend.deleteRecursively(tempDir);
            tempDir = null;
        }
    }
}
