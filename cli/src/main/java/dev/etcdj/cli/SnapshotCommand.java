package dev.etcdj.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import dev.etcdj.server.EtcdSnapshots;
import dev.etcdj.server.SnapshotException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * etcdctl's snapshot commands (snapshot_command.go, clientv3/snapshot). {@code save} streams a
 * member's database into a file, as etcdctl does; {@code status} reads an etcd-format snapshot
 * (from etcd or etcdj) and {@code restore} loads one into an etcdj data dir (the server's
 * {@link EtcdSnapshots}).
 */
@Command(name = "snapshot", description = "Manages etcd node snapshots", customSynopsis = "snapshot <subcommand>",
        subcommands = {SnapshotCommand.Save.class, SnapshotCommand.Restore.class, SnapshotCommand.Status.class})
final class SnapshotCommand {

    @Mixin
    CommandArgs cmd;

    @Command(name = "save", description = "Stores an etcd node backend snapshot to a given file",
            customSynopsis = "save <filename>")
    static final class Save extends EtcdctlCommand {
        @Override
        public Integer call() throws IOException, InterruptedException {
            cmd.exactly(1, "snapshot save expects one argument");
            Cli cli = cli();
            List<String> endpoints = cli.endpoints();
            if (endpoints.size() != 1) {
                throw new CliException(CliException.EXIT_INTERRUPTED,
                        "snapshot must be requested to one selected node, not multiple [" + String.join(" ", endpoints) + "]");
            }
            String path = cmd.args.get(0);
            Path part = Path.of(path + ".part");
            FileChannel ch;
            try {
                ch = FileChannel.open(part, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (IOException e) {
                throw new CliException(CliException.EXIT_INTERRUPTED, "could not open " + part + " (open " + part + ": "
                        + ioReason(e) + ")");
            }
            try {
                try (ch; OutputStream out = Channels.newOutputStream(ch)) {
                    CompletableFuture<Long> f = cli.client().maintenance().snapshot(endpoints.get(0), out);
                    awaitSnapshot(cli, f);
                    ch.force(true);
                }
                try {
                    Files.move(part, Path.of(path), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new CliException(CliException.EXIT_INTERRUPTED, "could not rename " + part + " to " + path
                            + " (" + ioReason(e) + ")");
                }
            } finally {
                Files.deleteIfExists(part);
            }
            cli.out.println("Snapshot saved at " + path);
            return 0;
        }

        /** No deadline unless --command-timeout was given, as etcdctl; failures exit with ExitInterrupted. */
        private static void awaitSnapshot(Cli cli, CompletableFuture<Long> f) throws InterruptedException {
            try {
                if (cli.matched.contains("--command-timeout")) {
                    f.get(Math.max(1, cli.global.commandTimeout.toMillis()), TimeUnit.MILLISECONDS);
                } else {
                    f.get();
                }
            } catch (TimeoutException e) {
                f.cancel(true);
                throw new CliException(CliException.EXIT_INTERRUPTED, "context deadline exceeded");
            } catch (ExecutionException e) {
                throw new CliException(CliException.EXIT_INTERRUPTED, Cli.errorText(e.getCause()));
            }
        }

        /** The part of a Go *PathError after the path: what the system call said. */
        private static String ioReason(IOException e) {
            if (e instanceof java.nio.file.NoSuchFileException) {
                return "no such file or directory";
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
                return fse.getReason().toLowerCase(java.util.Locale.ROOT);
            }
            return String.valueOf(e.getMessage());
        }
    }

    @Command(name = "status", description = "Gets backend snapshot status of a given file",
            customSynopsis = "status <filename>",
            footer = {"When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.",
                    "The items in the lists are hash, revision, total keys, total size.", ""})
    static final class Status extends EtcdctlCommand {
        @Override
        public Integer call() throws IOException {
            String file = cmd.one("snapshot status requires exactly one argument");
            Cli cli = cli();
            EtcdSnapshots.Status st = ServerSnapshots.status(Path.of(file));
            if (cli.global.writeOut.equals("protobuf")) {
                // etcdctl's protobuf printer has no DBStatus: printerUnsupported
                throw new CliException(CliException.EXIT_BAD_FEATURE, "protobuf not supported as output format");
            }
            cli.printer().dbStatus(st.hash(), st.revision(), st.totalKey(), st.totalSize());
            return 0;
        }
    }

    @Command(name = "restore", description = "Restores an etcd member snapshot to an etcd directory",
            customSynopsis = "restore <filename> [options]")
    static final class Restore extends EtcdctlCommand {
        @Option(names = "--data-dir", description = "Path to the data directory")
        String dataDir = "";

        @Option(names = "--wal-dir", description = "Path to the WAL directory (use --data-dir if none given)")
        String walDir = "";

        @Option(names = "--name", description = "Human-readable name for this member")
        String name = "default";

        /** etcdctl's default names the member "default", whatever --name says. */
        @Option(names = "--initial-cluster", description = "Initial cluster configuration for restore bootstrap")
        String initialCluster = "default=http://localhost:2380";

        @Option(names = "--initial-cluster-token",
                description = "Initial cluster token for the etcd cluster during restore bootstrap")
        String initialClusterToken = "etcd-cluster";

        @Option(names = "--initial-advertise-peer-urls",
                description = "List of this member's peer URLs to advertise to the rest of the cluster")
        String initialAdvertisePeerUrls = "http://localhost:2380";

        @Option(names = "--skip-hash-check",
                description = "Ignore snapshot integrity hash value (required if copied from data directory)")
        boolean skipHashCheck;

        /**
         * Restores into {@code <data-dir>/rocksdb} (etcdj's store), checking what etcdctl checks in its
         * order and failing with its texts; a failed restore leaves nothing on disk. etcdj serves one
         * member, so --initial-cluster must name only this one.
         */
        @Override
        public Integer call() throws IOException {
            String file = cmd.one("snapshot restore requires exactly one argument");
            EtcdSnapshots.RestoreOptions o = new EtcdSnapshots.RestoreOptions(Path.of(file)).name(name)
                    .dataDir(Path.of(dataDir.isEmpty() ? name + ".etcd" : dataDir))
                    .walDir(walDir.isEmpty() ? null : Path.of(walDir))
                    .initialAdvertisePeerUrls(List.of(initialAdvertisePeerUrls.split(",")))
                    .initialCluster(initialCluster).initialClusterToken(initialClusterToken).skipHashCheck(skipHashCheck);
            ServerSnapshots.restore(o);
            return 0;
        }
    }

    /**
     * The server's snapshot calls, their failures turned into etcdctl's errors. In a class of their own:
     * verifying a method that catches {@link SnapshotException} loads the server's class, and the
     * launcher's class path for etcdctl's commands has no server, yet lists (loads) every command.
     */
    private static final class ServerSnapshots {
        static EtcdSnapshots.Status status(Path file) throws IOException {
            try {
                return EtcdSnapshots.status(file);
            } catch (SnapshotException e) {
                throw new CliException(CliException.EXIT_ERROR, e.getMessage());
            }
        }

        static void restore(EtcdSnapshots.RestoreOptions o) throws IOException {
            try {
                EtcdSnapshots.restore(o);
            } catch (SnapshotException e) {
                throw new CliException(CliException.EXIT_ERROR, e.getMessage());
            }
        }
    }
}
