package dev.etcdj.tck;

import dev.etcdj.server.EtcdServer;
import dev.etcdj.testing.EtcdTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Our own embedded server as a contract target. It keeps its data in a temp dir rather than in
 * memory, so that {@link #kill()} and a later {@link #start()} find every acknowledged write, as
 * they do with a real etcd; the restart binds the port of the first start, so clients reconnect
 * to the same endpoint.
 */
final class EtcdjServerTarget implements EtcdTarget {

    private final Consumer<EtcdServer.Builder> customizer;
    private final Path dataDir;
    private EtcdServer server;
    private int port;
    private boolean closed;

    EtcdjServerTarget(Consumer<EtcdServer.Builder> customizer) {
        this.customizer = customizer;
        try {
            this.dataDir = Files.createTempDirectory("etcdj-tck-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "etcdj";
    }

    @Override
    public boolean isRealEtcd() {
        return false;
    }

    @Override
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("target closed");
        }
        if (server != null) {
            return;
        }
        // A port just released may linger for a moment; a restart must get the same one back.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            EtcdServer.Builder b = EtcdServer.builder()
                    .dataDir(dataDir)
                    .listenClientUrls(List.of("http://127.0.0.1:" + port));
            customizer.accept(b);
            EtcdServer s = b.build();
            try {
                s.start();
                server = s;
                port = Integer.parseInt(s.endpoint().substring(s.endpoint().lastIndexOf(':') + 1));
                return;
            } catch (IOException | RuntimeException e) {
                s.close();
                if (port == 0 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("etcdj server did not start on port " + port, e);
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // retry backoff, not a wait for a condition
            }
        }
    }

    @Override
    public synchronized String endpoint() {
        if (server == null) {
            throw new IllegalStateException("etcdj server not running");
        }
        return server.endpoint();
    }

    @Override
    public synchronized List<String> endpoints() {
        return List.of(endpoint());
    }

    @Override
    public synchronized void restart() {
        kill();
        start();
    }

    /** In-process there is no SIGKILL: the server is closed, and a start builds a new one on its data. */
    @Override
    public synchronized void kill() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
