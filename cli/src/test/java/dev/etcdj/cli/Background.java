package dev.etcdj.cli;

import dev.etcdj.cli.serve.ServeMain;
import dev.etcdj.testing.EtcdjServerTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the parity tests run in the background: servers (a real etcd, etcdj's server, {@code etcdj serve}
 * in this JVM), and long-running commands (lock, elect, make-mirror): etcdctl as a process whose
 * stdout goes to a file, etcdj's {@link Main} on a thread of its own with a Ctrl-C to send. Every
 * one started is stopped by {@link #close()}, which runs after each test when the field is a
 * {@code @RegisterExtension}.
 */
final class Background implements AutoCloseable, AfterEachCallback {

    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A running etcdctl: its stdout so far. */
    record Bg(Process process, Path file) {
        String out() {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** etcdj's {@link Main} on a thread of its own. */
    record InProcess(CompletableFuture<Integer> code, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr,
                     CompletableFuture<Void> interrupted) {
        String out() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    Bg etcdctl(String endpoint, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcdctl", "--endpoints", endpoint));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("etcdctl-bg", ".out");
        toClose.add(() -> Files.deleteIfExists(out));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        processes.add(p);
        return new Bg(p, out);
    }

    InProcess etcdj(String endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoints", endpoint));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Void> interrupted = new CompletableFuture<>();
        CompletableFuture<Integer> code = new CompletableFuture<>();
        Thread t = new Thread(() -> code.complete(Main.run(all.toArray(String[]::new),
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("ETCDCTL_API", "3"), interrupted)),
                "etcdj-" + args[0]);
        t.setDaemon(true);
        t.start();
        toClose.add(() -> {
            interrupted.complete(null);
            code.get(30, TimeUnit.SECONDS);
        });
        return new InProcess(code, out, err, interrupted);
    }

    /** host:port of a fresh real etcd ({@code "etcd"}) or etcdj server ({@code "etcdj"}), stopped with the rest. */
    String server(String target) {
        if (target.equals("etcd")) {
            return closeLater(new RealEtcd()).endpoint;
        }
        EtcdjServerTarget ours = closeLater(new EtcdjServerTarget(b -> { }));
        ours.start();
        return ours.endpoint().replaceFirst("^http://", "");
    }

    /** {@code etcdj serve} with these flags in this JVM, stopped with the rest; its stderr so far (live). */
    ByteArrayOutputStream serve(List<String> flags) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> ServeMain.run(flags, ps, ps, Map.of(), stop));
        toClose.add(() -> {
            stop.complete(null);
            run.get(60, TimeUnit.SECONDS);
        });
        return err;
    }

    /** The flags of a single-member server on these loopback ports, clients served over {@code scheme}. */
    static List<String> singleMember(String scheme, Path data, int client, int peer) {
        String clientUrl = scheme + "://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        return new ArrayList<>(List.of("--data-dir=" + data, "--listen-client-urls=" + clientUrl,
                "--advertise-client-urls=" + clientUrl, "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl, "--initial-cluster=default=" + peerUrl));
    }

    /** Something else to close with the rest (servers, temp files). */
    <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }
}
