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
    private final List<String> extraArgs;
    private final String name;
    /** The --initial-cluster value: this member alone unless it is part of a cluster. */
    private String initialCluster;
    private Process process;

    EtcdLauncher(String name, List<String> extraArgs) throws IOException {
        this.dir = Files.createTempDirectory("etcdj-client-it");
        this.clientPort = freePort();
        this.peerPort = freePort();
        this.name = name;
        this.extraArgs = List.copyOf(extraArgs);
        this.initialCluster = name + "=" + peerUrl();
    }

    static EtcdLauncher started(String... extraArgs) throws IOException {
        EtcdLauncher e = new EtcdLauncher("it", List.of(extraArgs));
        try {
            e.start();
            return e;
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** A two-member cluster, both started and healthy. Stopping one leaves the other without a leader. */
    static EtcdLauncher[] startedPair() throws IOException {
        EtcdLauncher a = new EtcdLauncher("a", List.of());
        EtcdLauncher b = null;
        try {
            b = new EtcdLauncher("b", List.of());
            String cluster = "a=" + a.peerUrl() + ",b=" + b.peerUrl();
            a.initialCluster = cluster;
            b.initialCluster = cluster;
            // Neither is healthy before the other runs: spawn both, then wait.
            a.spawn();
            b.spawn();
            a.awaitHealthy(Duration.ofSeconds(30));
            b.awaitHealthy(Duration.ofSeconds(30));
            return new EtcdLauncher[] {a, b};
        } catch (IOException | RuntimeException ex) {
            a.close();
            if (b != null) {
                b.close();
            }
            throw ex;
        }
    }

    String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
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
        spawn();
        awaitHealthy(Duration.ofSeconds(20));
    }

    private synchronized void spawn() throws IOException {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> cmd = new java.util.ArrayList<>(List.of(ETCD,
                "--name", name,
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster,
                "--log-level", "warn"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()))
                .start();
    }

    /** Runs etcdctl (v3 API) against this etcd; fails on a non-zero exit. Returns its output. */
    String etcdctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints", endpoint()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
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
