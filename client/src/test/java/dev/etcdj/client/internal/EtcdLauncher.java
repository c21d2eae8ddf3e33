package dev.etcdj.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd (/usr/bin/etcd) on free loopback ports with a temp data dir, for this module's
 * integration tests. Stop, restart on the same port, pause (SIGSTOP) and resume; close removes
 * everything, even after a failed start.
 */
final class EtcdLauncher implements AutoCloseable {

    private static final String ETCD = System.getProperty("etcd.binary", "/usr/bin/etcd");

    private final Path dir;
    private final int clientPort;
    private final int peerPort;
    private Process process;

    EtcdLauncher() throws IOException {
        this.dir = Files.createTempDirectory("etcdj-client-it");
        this.clientPort = freePort();
        this.peerPort = freePort();
    }

    static EtcdLauncher started() throws IOException {
        EtcdLauncher e = new EtcdLauncher();
        try {
            e.start();
            return e;
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    int clientPort() {
        return clientPort;
    }

    long pid() {
        return process.pid();
    }

    synchronized void start() throws IOException {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = List.of(ETCD,
                "--name", "it",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "it=" + peer,
                "--log-level", "warn");
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
                .start();
        awaitHealthy(Duration.ofSeconds(20));
    }

    /** Kills etcd (SIGKILL) and waits until it is gone; the data dir stays for a restart. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            resume();
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
    void pause() {
        signal("-STOP");
    }

    void resume() {
        if (process != null && process.isAlive()) {
            signal("-CONT");
        }
    }

    private void signal(String sig) {
        try {
            new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for etcd", e);
            }
            try {
                Thread.sleep(50); // polling an external process: no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for etcd", e);
            }
        }
        throw new IOException("etcd not healthy within " + timeout + ": " + log());
    }

    String log() {
        try {
            return Files.readString(dir.resolve("etcd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir left behind is not worth failing a test over
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
