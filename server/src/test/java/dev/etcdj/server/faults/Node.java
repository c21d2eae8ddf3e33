package dev.etcdj.server.faults;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.server.TestAwait;
import dev.etcdj.server.TestServerMain;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server process on a given data dir, etcdj (its own JVM, {@link TestServerMain}) or real
 * etcd 3.4, its output in a log file, the same port on every start, a raw gRPC KV stub to it.
 */
final class Node implements AutoCloseable {
    static final Path ETCD = Path.of("/usr/bin/etcd");

    final boolean etcd;
    final Path dataDir;
    final Path log;
    private final int port;
    private final int peerPort;
    private final List<String> jvmArgs = new ArrayList<>();
    private Process process;
    private ManagedChannel channel;

    Node(boolean etcd, Path dataDir, Path log) throws IOException {
        this.etcd = etcd;
        this.dataDir = dataDir;
        this.log = log;
        this.port = freePort();
        this.peerPort = freePort();
    }

    /** Adds arguments for our server's JVM (e.g. {@code -Dname=value}), used from the next launch on. */
    Node jvmArgs(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    String name() {
        return etcd ? "etcd 3.4.23" : "etcdj";
    }

    /** Starts the process (output appended to the log); does not wait for it. */
    void launch() throws IOException {
        String url = "http://127.0.0.1:" + port;
        List<String> cmd = etcd
                ? List.of(ETCD.toString(), "--data-dir", dataDir.toString(), "--listen-client-urls", url,
                        "--advertise-client-urls", url, "--listen-peer-urls", "http://127.0.0.1:" + peerPort)
                : new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + System.getProperty("etcdj.evidence.xmx", "256m"), "-XX:+UseSerialGC"));
        if (!etcd) {
            // -Detcdj.evidence.serverJvmArgs="-XX:NativeMemoryTracking=summary -D..." for a diagnosis run.
            for (String arg : System.getProperty("etcdj.evidence.serverJvmArgs", "").trim().split("\\s+")) {
                if (!arg.isEmpty()) {
                    cmd.add(arg);
                }
            }
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TestServerMain.class.getName(),
                    dataDir.toString(), url));
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Starts and waits until it answers a Range; fails with the log's tail if it exits first. */
    void start() throws Exception {
        launch();
        awaitReady();
    }

    /** Waits until the launched process answers a Range; fails with the log's tail if it exits first. */
    void awaitReady() throws Exception {
        // A process we cannot be told about otherwise: polled until it answers.
        try {
            TestAwait.until(Duration.ofSeconds(90), name() + " answers", this::answers);
        } catch (AssertionError e) {
            throw new IllegalStateException(name() + " did not answer:\n" + logTail(15), e);
        }
    }

    /** Whether the process answers a Range now; fails with the log's tail once it has exited. */
    private boolean answers() {
        try {
            kv().withDeadlineAfter(2, TimeUnit.SECONDS).range(RangeRequest.newBuilder().setKey(bs("probe")).build());
            return true;
        } catch (StatusRuntimeException e) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " exited with " + process.exitValue() + ":\n" + logTail(15));
            }
            return false;
        }
    }

    KVGrpc.KVBlockingStub kv() {
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    long put(String key, byte[] value) {
        return kv().put(PutRequest.newBuilder().setKey(bs(key)).setValue(ByteString.copyFrom(value)).build())
                .getHeader().getRevision();
    }

    RangeResponse get(String key) {
        return kv().range(RangeRequest.newBuilder().setKey(bs(key)).build());
    }

    Channel channel() {
        kv();
        return channel;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user and system, all threads) the process has used so far, from /proc. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** Resident set size of the process, from /proc. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** The JVM's used heap as the server's /metrics reports it (jvm_memory_used_bytes, area heap). */
    long heapUsedBytes() throws IOException, InterruptedException {
        return metric("jvm_memory_used_bytes{area=\"heap\"}");
    }

    /** The value of the /metrics line starting with {@code series} (name and labels), or -1. */
    long metric(String series) throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.body().lines().filter(l -> l.startsWith(series + " "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits up to {@code seconds} for the process to exit; its exit code, or null if it still runs. */
    Integer awaitExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    void kill() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The first log line (after {@code from}) that mentions one of the words, for the record. */
    String firstLogLine(String... words) {
        try {
            for (String line : Files.readAllLines(log)) {
                for (String w : words) {
                    if (line.contains(w)) {
                        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
                    }
                }
            }
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
        return "(no such line)";
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
