package dev.etcdj.examples;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real etcd (/usr/bin/etcd) on free loopback ports with a temp data dir, for the parity tests. */
final class RealEtcd implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    final String endpoint;

    RealEtcd() throws IOException, InterruptedException {
        int client = freePort();
        int peer = freePort();
        dataDir = Files.createTempDirectory("etcdj-examples-it");
        endpoint = "127.0.0.1:" + client;
        process = new ProcessBuilder("/usr/bin/etcd", "--data-dir", dataDir.toString(),
                "--listen-client-urls", "http://" + endpoint, "--advertise-client-urls", "http://" + endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "default=http://127.0.0.1:" + peer)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try (Socket s = new Socket("127.0.0.1", client)) {
                break;
            } catch (IOException e) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    close();
                    throw new IOException("etcd did not start: " + Files.readString(dataDir.resolve("etcd.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: the temp dir is under /tmp anyway.
        }
    }
}
