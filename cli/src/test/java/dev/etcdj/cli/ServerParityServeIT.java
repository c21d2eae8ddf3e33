package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code etcdj serve} in its own JVM, driven by the real etcdctl: it serves, survives a kill and a
 * restart on the same data dir, and refuses an etcd flag it does not support.
 */
class ServerParityServeIT {

    private final List<Process> processes = new ArrayList<>();
    private Path dataDir;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private Process serve(Path log, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.etcdj.cli.Main", "serve"));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Result etcdctl(String endpoint, String... args) throws Exception {
        return AdminRunner.etcdctl(List.of("--endpoints", endpoint, "--dial-timeout", "1s", "--command-timeout", "2s"),
                Step.of(args));
    }

    /** Polls etcdctl endpoint health (each call is itself bounded by its timeouts) until it succeeds. */
    private static void awaitHealthy(Process p, String endpoint, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Result r = etcdctl(endpoint, "endpoint", "health");
            if (r.code() == 0) {
                assertThat(r.err()).contains(endpoint + " is healthy"); // etcdctl 3.4 prints health on stderr
                return;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("etcdj serve never became healthy: " + r + "\nlog:\n" + Files.readString(log));
            }
        }
    }

    @Test
    void servesKeepsDataAcrossAKillAndRestart() throws Exception {
        dataDir = Files.createTempDirectory("etcdj-serve-it");
        Path log = dataDir.resolve("serve.log");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        String endpoint = "127.0.0.1:" + port;
        String peer = "http://127.0.0.1:" + freePort();
        String[] flags = {"--data-dir", dataDir.resolve("data").toString(), "--listen-client-urls", url,
                "--advertise-client-urls", url, "--initial-advertise-peer-urls", peer, "--initial-cluster", "default=" + peer};

        Process first = serve(log, flags);
        awaitHealthy(first, endpoint, log);
        Result put = etcdctl(endpoint, "put", "greeting", "hello");
        assertThat(put).isEqualTo(new Result("OK\n", "", 0));
        assertThat(etcdctl(endpoint, "get", "greeting")).isEqualTo(new Result("greeting\nhello\n", "", 0));
        assertThat(etcdctl(endpoint, "member", "list").out()).contains(", started, default, " + peer + ", " + url + ", false");

        // A hard kill: the write was acknowledged, so it is on disk.
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = serve(log, flags);
        awaitHealthy(second, endpoint, log);
        assertThat(etcdctl(endpoint, "get", "greeting", "-w", "fields").out())
                .contains("\"Key\" : \"greeting\"", "\"Value\" : \"hello\"", "\"Version\" : 1");
        assertThat(etcdctl(endpoint, "put", "greeting", "again")).isEqualTo(new Result("OK\n", "", 0));
        assertThat(etcdctl(endpoint, "get", "greeting", "--print-value-only").out()).isEqualTo("again\n");

        // A clean stop (SIGTERM) exits by itself.
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void refusesAnUnsupportedEtcdFlag() throws Exception {
        dataDir = Files.createTempDirectory("etcdj-serve-it");
        Path log = dataDir.resolve("serve.log");
        Process p = serve(log, "--data-dir", dataDir.resolve("data").toString(),
                "--initial-cluster", "a=http://127.0.0.1:2380");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        String out = Files.readString(log);
        assertThat(out).contains("C | etcdmain: couldn't find local name \"default\" in the initial cluster configuration");
        assertThat(dataDir.resolve("data")).doesNotExist();
    }
}
