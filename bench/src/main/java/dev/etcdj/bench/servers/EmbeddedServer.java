package dev.etcdj.bench.servers;

import dev.etcdj.server.EtcdServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs our server as the main of a child JVM, so that client-side measurements never include it.
 * The server is an optional dependency of the bench module: {@link #available()} says whether it
 * is on the class path.
 */
public final class EmbeddedServer {

    private EmbeddedServer() {}

    public static boolean available() {
        try {
            Class.forName("dev.etcdj.server.EtcdServer", false, EmbeddedServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** {@code <data-dir> <client-url>}: serves until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        EtcdServer server = EtcdServer.builder().name("bench").dataDir(Path.of(args[0]))
                .listenClientUrls(List.of(args[1])).build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "etcdj-bench-server-stop"));
        System.out.println("serving " + server.endpoint());
        new CountDownLatch(1).await();
    }
}
