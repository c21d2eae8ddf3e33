package dev.etcdj.testing;

import dev.etcdj.server.EtcdServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Our server in a JVM of its own (the caller's class path), so that {@link #kill()} is a real
 * SIGKILL: nothing is flushed, no shutdown hook runs, as when a machine loses power. The data dir
 * survives kills; a restart binds the port of the first start, so clients reconnect to the same
 * endpoint. Its output goes to {@code server.log} in its work dir.
 *
 * <pre>{@code
 * try (EtcdjServerProcess server = EtcdjServerProcess.create()) {
 *     server.start();
 *     ... server.kill(); server.start(); ...
 * }
 * }</pre>
 */
public final class EtcdjServerProcess extends OwnServerTarget {
    private static final String READY = "ETCDJ-READY ";

    private final Path workDir;
    private final Path dataDir;
    private final Duration startTimeout;
    private Process process;

    private EtcdjServerProcess(Path dataDir, Duration startTimeout) {
        try {
            this.workDir = Files.createTempDirectory("etcdj-server-process-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessReaper.registerDir(workDir);
        this.dataDir = dataDir == null ? workDir.resolve("data") : dataDir;
        this.startTimeout = startTimeout;
    }

    /** A server with its data in a temp dir of its own. */
    public static EtcdjServerProcess create() {
        return new EtcdjServerProcess(null, Duration.ofSeconds(60));
    }

    /** A server on {@code dataDir}, which is left in place on close (e.g. on a filesystem the test mounted). */
    public static EtcdjServerProcess onDataDir(Path dataDir) {
        return new EtcdjServerProcess(dataDir, Duration.ofSeconds(60));
    }

    @Override
    public String name() {
        return "etcdj-process";
    }

    @Override
    boolean running() {
        return isRunning();
    }

    /** Starts the JVM on {@code port} and returns its endpoint once it listens; kills it if it does not. */
    @Override
    String startOn(int port) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                dataDir.toString(), "http://127.0.0.1:" + port));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        try {
            process = ProcessReaper.launch(pb);
        } catch (IOException e) {
            throw new EtcdProcessException("cannot start " + cmd, e);
        }
        Process p = process;
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> pumpLog(p, ready), "etcdj-server-process-log");
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new EtcdProcessException("interrupted while starting the server", e);
        } catch (ExecutionException | TimeoutException e) {
            kill();
            throw new EtcdProcessException("etcdj server did not start: " + e + "\n" + logTail(20), e);
        }
    }

    private void pumpLog(Process p, CompletableFuture<String> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith(READY)) {
                    ready.complete(line.substring(READY.length()).trim());
                }
                Files.writeString(logFile(), line + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            ready.completeExceptionally(e); // the process died or its work dir is gone: the log ends here
        }
        ready.completeExceptionally(new IOException("server exited before it was ready"));
    }

    @Override
    public synchronized String endpoint() {
        int port = boundPort();
        if (port == 0) {
            throw new IllegalStateException("not started");
        }
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL; returns once the process is gone. */
    @Override
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessReaper.forget(process);
        process = null;
    }

    /** True while the JVM is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Waits up to {@code timeout} for the JVM to exit by itself; its exit code, or -1 if it still runs. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            throw new IllegalStateException("not started");
        }
        return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? p.exitValue() : -1;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return workDir.resolve("server.log");
    }

    /** The last {@code lines} lines of the server's output. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.exists(logFile()) ? Files.readAllLines(logFile()) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Deletes the work dir (and the data dir with it unless one was given). */
    @Override
    void release() {
        ProcessReaper.deleteDir(workDir);
    }

    /** The child JVM: args = dataDir listenUrl. Prints the ready line, runs until killed or stdin closes. */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) throws Exception {
            EtcdServer server = EtcdServer.builder().dataDir(Path.of(args[0]))
                    .listenClientUrls(List.of(args[1])).build();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close)); // SIGTERM: a clean close
            server.start();
            System.out.println(READY + server.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until stdin closes (the parent went away) or the process is killed
            }
            server.close();
        }
    }
}
