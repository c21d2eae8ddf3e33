package dev.etcdj.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd 3.4 for one parity scenario: free loopback ports, a temp data dir, always cleaned up;
 * and our server for the same scenario.
 */
final class RealEtcd {
    static final Path ETCD = Path.of("/usr/bin/etcd");

    private RealEtcd() {
    }

    /** Stops a process started for a test (SIGTERM, then SIGKILL after 10 s) and deletes its data directory. */
    static void stop(Process process, Path dir) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Backend.deleteRecursively(dir);
    }

    @FunctionalInterface
    interface Scenario {
        String run(String endpoint) throws Exception;
    }

    /** Starts etcd, waits until it answers a KV Range, runs the scenario against it, stops it. */
    static String with(Scenario scenario) throws Exception {
        assertTrue(Files.isExecutable(ETCD), "real etcd not installed");
        Path dir = Files.createTempDirectory("etcdj-real-etcd-");
        int client = freePort();
        String endpoint = "http://127.0.0.1:" + client;
        Process etcd = new ProcessBuilder(ETCD.toString(), "--data-dir", dir.resolve("d").toString(),
                "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                "--listen-peer-urls", "http://127.0.0.1:" + freePort())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            ManagedChannel probe = NettyChannelBuilder.forAddress("127.0.0.1", client).usePlaintext().build();
            try {
                ServerTestBase.await(() -> {
                    try {
                        KVGrpc.newBlockingStub(probe).withDeadlineAfter(1, TimeUnit.SECONDS)
                                .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("x")).build());
                        return true;
                    } catch (StatusRuntimeException e) {
                        return false;
                    }
                }, Duration.ofSeconds(30));
            } finally {
                probe.shutdownNow();
            }
            return scenario.run(endpoint);
        } finally {
            stop(etcd, dir);
        }
    }

    /** Runs the scenario against our server, in memory on a free loopback port, and closes it. */
    static String onOurServer(Scenario scenario) throws Exception {
        try (EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            return scenario.run(server.endpoint());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
