package dev.etcdj.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One real etcd process on free loopback ports with its own temp data dir.
 *
 * <pre>{@code
 * try (EtcdProcess etcd = EtcdProcess.builder().args("--max-txn-ops=16").build()) {
 *     etcd.start();
 *     String url = etcd.endpoint();   // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * The binary is {@code /usr/bin/etcd} unless the system property {@code etcd.binary} or the
 * environment variable {@code ETCD_BINARY} says otherwise. A missing binary is an error, never
 * a skipped test: the real etcd is the oracle every behaviour is checked against.
 *
 * <p>With {@link Builder#clientTls} etcd serves clients over https; its health is then polled on a
 * plain-http metrics listener ({@code --listen-metrics-urls}), so the harness needs no client
 * certificate of its own.
 *
 * <p>Ports and data dir stay the same across {@link #stop()}/{@link #kill()} and the next
 * {@link #start()}, so a restart finds its data where it left it. All methods are thread-safe.
 */
public final class EtcdProcess implements EtcdTarget {
    static final Path DEFAULT_BINARY = Path.of("/usr/bin/etcd");
    private static final int START_ATTEMPTS = 3;

    private final String name;
    private final Path binary;
    private final List<String> extraArgs;
    private final String initialCluster;      // null: a cluster of one, this member
    private final String clusterToken;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final boolean portsChosenByUs;
    private final Path workDir;               // owned by us: the log, and the data dir by default
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Path logFile;
    private final ClientTls tls;              // null: clients speak plain http

    private volatile int clientPort;
    private volatile int peerPort;
    private volatile int metricsPort;         // 0 unless tls: where /health is polled over plain http
    private boolean everHealthy;              // once true, ports are ours for good: never move them
    private Process process;
    private boolean paused;
    private boolean closed;

    private EtcdProcess(Builder b) {
        this.name = b.name;
        this.binary = b.binary != null ? b.binary : configuredBinary();
        this.extraArgs = List.copyOf(b.args);
        this.initialCluster = b.initialCluster;
        this.clusterToken = b.clusterToken != null ? b.clusterToken : "etcdj-" + UUID.randomUUID();
        this.startTimeout = b.startTimeout;
        this.stopTimeout = b.stopTimeout;
        this.portsChosenByUs = b.clientPort == 0 && b.peerPort == 0;
        this.clientPort = b.clientPort != 0 ? b.clientPort : FreePorts.next();
        this.peerPort = b.peerPort != 0 ? b.peerPort : FreePorts.next();
        this.tls = b.tls;
        this.metricsPort = tls != null ? FreePorts.next() : 0;
        try {
            this.workDir = Files.createTempDirectory("etcdj-" + name + "-");
        } catch (IOException e) {
            throw new EtcdProcessException("cannot create a temp dir for etcd " + name, e);
        }
        ProcessReaper.registerDir(workDir);
        this.ownsDataDir = b.dataDir == null;
        // etcd creates the data dir itself, with the 0700 permissions it insists on.
        this.dataDir = ownsDataDir ? workDir.resolve("data") : b.dataDir;
        this.logFile = workDir.resolve("etcd.log");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The etcd binary this JVM is configured to use: the system property {@code etcd.binary}, then
     * the environment variable {@code ETCD_BINARY}, then the first {@code etcd} on {@code PATH},
     * then /usr/bin/etcd.
     */
    public static Path configuredBinary() {
        return EtcdBinary.configured(DEFAULT_BINARY);
    }

    // ---- EtcdTarget ----

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public boolean isRealEtcd() {
        return true;
    }

    /**
     * Starts etcd and returns once {@code GET /health} says it is healthy. On a first start on
     * ports we picked, a port stolen by another process meanwhile is retried on fresh ports.
     *
     * @throws EtcdProcessException if the binary is missing, etcd exits, or it is not healthy in
     *     time; the message carries the tail of etcd's log
     */
    @Override
    public synchronized void start() {
        for (int attempt = 1; ; attempt++) {
            launch();
            try {
                awaitHealthy(startTimeout);
                everHealthy = true;
                return;
            } catch (EtcdProcessException e) {
                boolean portTaken = logTail(20).contains("address already in use");
                destroyNow();
                if (!(portTaken && portsChosenByUs && attempt < START_ATTEMPTS && !everHealthy)) {
                    throw e;
                }
                if (ownsDataDir) {
                    ProcessReaper.deleteRecursively(dataDir); // it may name the old peer URL
                }
                clientPort = FreePorts.next();
                peerPort = FreePorts.next();
                if (tls != null) {
                    metricsPort = FreePorts.next();
                }
            }
        }
    }

    /** {@code http://127.0.0.1:<port>}, or {@code https://...} with {@link Builder#clientTls}. */
    @Override
    public String endpoint() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + clientPort;
    }

    /** Graceful {@link #stop()} then {@link #start()}: same ports, same data dir. */
    @Override
    public synchronized void restart() {
        stop();
        start();
    }

    /** SIGKILL; returns once the process is gone. A later {@link #start()} reuses ports and data. */
    @Override
    public synchronized void kill() {
        destroyNow();
    }

    /** Stops etcd and deletes its temp dir (a data dir given to the builder is left alone). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            ProcessReaper.deleteDir(workDir);
        }
    }

    // ---- lifecycle beyond EtcdTarget ----

    /** SIGTERM, then SIGKILL if etcd has not exited within the stop timeout. No-op if not running. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (paused && process.isAlive()) {
            signal("CONT"); // a stopped process would not act on SIGTERM until continued
        }
        paused = false;
        process.destroy();
        try {
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        destroyNow();
    }

    /** SIGSTOP: etcd stays alive with its sockets open but answers nothing, like a hung node. */
    public synchronized void pause() {
        requireRunning("pause");
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        requireRunning("resume");
        signal("CONT");
        paused = false;
    }

    /** Polls {@code /health} until etcd is healthy; fails early if the process exits. */
    public void awaitHealthy(Duration timeout) {
        boolean healthy = Await.poll(timeout, () -> {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                throw new EtcdProcessException("etcd " + name + " exited"
                        + (p == null ? "" : " with code " + p.exitValue())
                        + " before becoming healthy\n" + describe());
            }
            return EtcdHttp.healthy(healthEndpoint(), Duration.ofSeconds(1));
        });
        if (!healthy) {
            throw new EtcdProcessException("etcd " + name + " not healthy within " + timeout + "\n" + describe());
        }
    }

    /** True while the process is alive (a paused process is alive). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized boolean isPaused() {
        return paused;
    }

    /** The OS pid of the current process. */
    public synchronized long pid() {
        requireRunning("pid");
        return process.pid();
    }

    /** The current process, for checks such as "is this pid really gone". */
    public synchronized ProcessHandle processHandle() {
        requireRunning("processHandle");
        return process.toHandle();
    }

    public String memberName() {
        return name;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** etcd's stdout and stderr, appended across restarts. */
    public Path logFile() {
        return logFile;
    }

    public int clientPort() {
        return clientPort;
    }

    public int peerPort() {
        return peerPort;
    }

    public String peerUrl() {
        return "http://127.0.0.1:" + peerPort;
    }

    /** The last {@code lines} lines of etcd's log, for failure messages. */
    public String logTail(int lines) {
        return OsProcesses.tail(logFile, lines);
    }

    @Override
    public String toString() {
        return "etcd[" + name + " " + endpoint() + " data=" + dataDir + "]";
    }

    // ---- internals ----

    /** Where /health answers over plain http: the client URL, or the metrics URL when clients need TLS. */
    private String healthEndpoint() {
        return tls != null ? "http://127.0.0.1:" + metricsPort : endpoint();
    }

    /** Starts the process without waiting for health: cluster members only become healthy together. */
    synchronized void launch() {
        if (closed) {
            throw new IllegalStateException("etcd " + name + " is closed");
        }
        if (isRunning()) {
            throw new IllegalStateException("etcd " + name + " is already running");
        }
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new EtcdProcessException("etcd binary not found or not executable: " + binary
                    + ". Install it (apt-get install -y etcd-server etcd-client) or point the system property"
                    + " etcd.binary or the environment variable ETCD_BINARY at one.");
        }
        ProcessBuilder pb = new ProcessBuilder(command())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        // etcd reads ETCD_* variables as flags: whatever the caller's shell has must not leak in.
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ETCD_"));
        try {
            Files.writeString(logFile, "---- etcdj: " + String.join(" ", pb.command()) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = ProcessReaper.launch(pb);
            paused = false;
        } catch (IOException e) {
            throw new EtcdProcessException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    private List<String> command() {
        String client = endpoint();
        String peer = peerUrl();
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "--name", name,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", initialCluster != null ? initialCluster : name + "=" + peer,
                "--initial-cluster-token", clusterToken,
                "--initial-cluster-state", "new"));
        if (tls != null) {
            cmd.addAll(List.of("--cert-file", tls.cert().toString(), "--key-file", tls.key().toString(),
                    "--listen-metrics-urls", healthEndpoint()));
            if (tls.trustedCa() != null) {
                cmd.addAll(List.of("--trusted-ca-file", tls.trustedCa().toString(), "--client-cert-auth"));
            }
        }
        // Last, so that a caller's flag wins over our default for the same flag.
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** SIGKILL and wait: when this returns the pid is dead and the ports are free. */
    private void destroyNow() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new EtcdProcessException("etcd " + name + " (pid " + p.pid() + ") survived SIGKILL for 30s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!p.isAlive()) {
                ProcessReaper.forget(p); // still alive: leave it to the shutdown hook
            }
            process = null;
            paused = false;
        }
    }

    private void signal(String signal) {
        OsProcesses.signal(process.pid(), signal);
    }

    private void requireRunning(String what) {
        if (!isRunning()) {
            throw new IllegalStateException("cannot " + what + ": etcd " + name + " is not running");
        }
    }

    private String describe() {
        return "command: " + String.join(" ", command()) + "\nlog " + logFile + " (tail):\n" + logTail(30);
    }

    /** The server side of client TLS: certificate, key, and the CA client certificates must chain to (or null). */
    private record ClientTls(Path cert, Path key, Path trustedCa) {
    }

    /** Options for one etcd process. Unset ports are picked free; an unset data dir is a temp dir. */
    public static final class Builder {
        private String name = "etcd0";
        private Path binary;
        private final List<String> args = new ArrayList<>();
        private Path dataDir;
        private int clientPort;
        private int peerPort;
        private String initialCluster;
        private String clusterToken;
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration stopTimeout = Duration.ofSeconds(10);
        private ClientTls tls;

        private Builder() {
        }

        /** etcd's {@code --name}; also names the temp dir. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** Overrides {@link #configuredBinary()}. */
        public Builder binary(Path binary) {
            this.binary = Objects.requireNonNull(binary);
            return this;
        }

        /** Extra etcd flags, appended after ours, e.g. {@code "--max-txn-ops=16"}. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /** Use this data dir instead of a temp one; {@link EtcdProcess#close()} will not delete it. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir);
            return this;
        }

        public Builder clientPort(int port) {
            this.clientPort = port;
            return this;
        }

        public Builder peerPort(int port) {
            this.peerPort = port;
            return this;
        }

        /** etcd's {@code --initial-cluster}; by default a cluster of this one member. */
        public Builder initialCluster(String initialCluster) {
            this.initialCluster = initialCluster;
            return this;
        }

        /** etcd's {@code --initial-cluster-token}; by default unique per process. */
        public Builder clusterToken(String token) {
            this.clusterToken = token;
            return this;
        }

        /** How long {@link EtcdProcess#start()} waits for health (default 30 s: CI machines are slow). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How long {@link EtcdProcess#stop()} waits after SIGTERM before SIGKILL (default 10 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Serve clients over https with this PEM certificate and key ({@code --cert-file},
         * {@code --key-file}). With a {@code trustedCa}, etcd also requires client certificates
         * signed by it ({@code --trusted-ca-file}, {@code --client-cert-auth}); null accepts any client.
         */
        public Builder clientTls(Path cert, Path key, Path trustedCa) {
            this.tls = new ClientTls(Objects.requireNonNull(cert), Objects.requireNonNull(key), trustedCa);
            return this;
        }

        /** Allocates ports and the temp dir; does not start anything. */
        public EtcdProcess build() {
            return new EtcdProcess(this);
        }
    }
}
