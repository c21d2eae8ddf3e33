package dev.etcdj.testing;

import dev.etcdj.server.EtcdServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Our own embedded server as a contract target. By default it keeps its data in a temp dir rather
 * than in memory, so that {@link #kill()} and a later {@link #start()} find every acknowledged
 * write, as they do with a real etcd ({@link #inMemory} trades that for a quicker start); the
 * restart binds the port of the first start, so clients reconnect to the same endpoint.
 */
public final class EtcdjServerTarget extends OwnServerTarget {

    private final Consumer<EtcdServer.Builder> customizer;
    private final Path dataDir;
    private EtcdServer server;

    /** Our server on a temp data dir, configured further by {@code customizer}. */
    public EtcdjServerTarget(Consumer<EtcdServer.Builder> customizer) {
        this(customizer, true);
    }

    /** Our server with its defaults, on a temp data dir. */
    public EtcdjServerTarget() {
        this(b -> { });
    }

    private EtcdjServerTarget(Consumer<EtcdServer.Builder> customizer, boolean onDisk) {
        this.customizer = customizer;
        try {
            this.dataDir = onDisk ? Files.createTempDirectory("etcdj-tck-") : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (dataDir != null) {
            ProcessReaper.registerDir(dataDir);
        }
    }

    /**
     * Our server with its data in memory: the quickest to start, nothing on disk. A {@link #kill()}
     * or {@link #restart()} loses the data, unlike a real etcd's.
     */
    public static EtcdjServerTarget inMemory(Consumer<EtcdServer.Builder> customizer) {
        return new EtcdjServerTarget(customizer, false);
    }

    /** The running server, e.g. to read its metrics URL or its name. */
    public synchronized EtcdServer server() {
        if (server == null) {
            throw new IllegalStateException("etcdj server not running");
        }
        return server;
    }

    @Override
    public String name() {
        return "etcdj";
    }

    @Override
    boolean running() {
        return server != null;
    }

    @Override
    String startOn(int port) {
        EtcdServer.Builder b = EtcdServer.builder().listenClientUrls(List.of("http://127.0.0.1:" + port));
        if (dataDir == null) {
            b.inMemory();
        } else {
            b.dataDir(dataDir);
        }
        customizer.accept(b);
        EtcdServer s = b.build();
        try {
            s.start();
        } catch (RuntimeException e) {
            s.close();
            throw new IllegalStateException("etcdj server did not start on port " + port, e);
        }
        server = s;
        return s.endpoint();
    }

    @Override
    public synchronized String endpoint() {
        return server().endpoint();
    }

    /** In-process there is no SIGKILL: the server is closed, and a start builds a new one on its data. */
    @Override
    public synchronized void kill() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Deletes the data dir, if the server kept one. */
    @Override
    void release() {
        if (dataDir != null) {
            ProcessReaper.deleteDir(dataDir);
        }
    }
}
