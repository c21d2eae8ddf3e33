package dev.etcdj.bench.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real etcd on free loopback ports with a temp data dir (fsync on, as etcd always does). */
public final class EtcdProcess implements Target {

    public static final String DEFAULT_BINARY = "/usr/bin/etcd";

    private final Process process;
    private final Path dataDir;
    private final String endpoint;

    private EtcdProcess(Process process, Path dataDir, String endpoint) {
        this.process = process;
        this.dataDir = dataDir;
        this.endpoint = endpoint;
    }

    public static EtcdProcess start(String binary) {
        if (!Files.isExecutable(Path.of(binary))) {
            throw new IllegalStateException(binary + " is not installed: apt-get install etcd-server");
        }
        try {
            Path dir = Files.createTempDirectory("etcdj-bench-etcd");
            int client = Processes.freePort();
            int peer = Processes.freePort();
            String url = "http://127.0.0.1:" + client;
            String peerUrl = "http://127.0.0.1:" + peer;
            Path log = dir.resolve("etcd.log");
            Process p = new ProcessBuilder(binary, "--name", "bench", "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", url, "--advertise-client-urls", url,
                    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                    "--initial-cluster", "bench=" + peerUrl)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Processes.awaitPort(p, client, Duration.ofSeconds(30), log);
            return new EtcdProcess(p, dir, url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String description() {
        return "etcd 3.4 (" + DEFAULT_BINARY + "), data on disk";
    }

    @Override
    public List<String> endpoints() {
        return List.of(endpoint);
    }

    @Override
    public void close() {
        Processes.stop(process);
        Processes.deleteTree(dataDir);
    }
}
