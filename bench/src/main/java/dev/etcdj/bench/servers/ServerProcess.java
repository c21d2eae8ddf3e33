package dev.etcdj.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Our embedded server in its own JVM, data on disk with fsync like etcd, on a free loopback port. */
public final class ServerProcess {

    private ServerProcess() {}

    public static Target start(List<String> jvmArgs) {
        if (!EmbeddedServer.available()) {
            throw new IllegalStateException("the etcdj server is not on the class path of this bench run");
        }
        try {
            Path dir = Files.createTempDirectory("etcdj-bench-server");
            int port = Processes.freePort();
            String url = "http://127.0.0.1:" + port;
            Path log = dir.resolve("server.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EmbeddedServer.class.getName(),
                    dir.resolve("data").toString(), url));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Processes.awaitPort(p, port, Duration.ofSeconds(60), log);
            return new Target("etcdj-server", "etcdj server (RocksDB, fsync per group commit), own JVM", List.of(url),
                    () -> {
                        Processes.stop(p);
                        Processes.deleteTree(dir);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
