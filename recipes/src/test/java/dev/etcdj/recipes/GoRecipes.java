package dev.etcdj.recipes;

import static org.junit.jupiter.api.Assertions.fail;

import dev.etcdj.testing.EtcdTarget;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One process of etcd's own Go recipes ({@code src/test/go/src/etcdgointerop}, built against the
 * etcd 3.4 Go sources Debian ships), playing one role against the target: it reports what happens
 * as lines ({@link #expect}) and takes its cues as lines ({@link #send}). Closing it closes the
 * process's stdin, which ends it at once.
 *
 * <p>The program is built once per JVM into {@code target/go-interop}, with Go's build cache in
 * {@code target/go-cache}. Without Go ({@code apt-get install golang-go golang-etcd-server-dev})
 * the interop tests are skipped, saying so; with Go, a build failure fails them.
 */
final class GoRecipes implements AutoCloseable {

    /** How long one step may take: generous, for a loaded machine; an idle one needs milliseconds. */
    static final Duration STEP = Duration.ofSeconds(20);

    private static final Path GO_SOURCES = Path.of("/usr/share/gocode/src/go.etcd.io/etcd/clientv3");
    private static final String EOF = "\u0000eof";
    private static Path binary;

    private final List<String> command;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private GoRecipes(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump("stdout", new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                stdout::add);
        pump("stderr", new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                line -> stderr.append(line).append('\n'));
    }

    /** Starts the Go program in {@code role} with its arguments against the target's endpoints. */
    static GoRecipes start(EtcdTarget target, String role, String... args) {
        List<String> command = new ArrayList<>(List.of(binary().toString(),
                "-endpoints", String.join(",", target.endpoints()), role));
        command.addAll(List.of(args));
        try {
            return new GoRecipes(command, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The next line the process printed, waiting up to {@link #STEP}; fails when it ends or is silent. */
    String next() {
        String line;
        try {
            line = stdout.poll(STEP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + command, e);
        }
        if (line == null) {
            return fail("no output from " + command + " within " + STEP + "; stderr: " + stderr);
        }
        if (line.equals(EOF)) {
            stdout.add(EOF);
            return fail(command + " ended; stderr: " + stderr);
        }
        return line;
    }

    /** The next line, which must start with {@code word}: what follows it (trimmed). */
    String expect(String word) {
        String line = next();
        if (!line.equals(word) && !line.startsWith(word + " ")) {
            fail(command + " printed \"" + line + "\", expected \"" + word + "\"");
        }
        return line.substring(word.length()).trim();
    }

    /** A line printed and not read yet, without waiting: empty while the process is blocked in silence. */
    Optional<String> pending() {
        return Optional.ofNullable(stdout.peek());
    }

    /** Gives the process a cue. */
    void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + command + "; stderr: " + stderr, e);
        }
    }

    /** Gives the process a cue and waits for its answer, which must start with {@code word}: what follows it. */
    String ask(String line, String word) {
        send(line);
        return expect(word);
    }

        /** Waits for the process to end by itself and checks it succeeded. */
    void awaitSuccess() {
        try {
            if (!process.waitFor(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(command + " did not end within " + STEP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + command, e);
        }
        if (process.exitValue() != 0) {
            fail(command + " failed (exit " + process.exitValue() + "); stderr: " + stderr);
        }
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // The process already ended (and closed the pipe): nothing left to tell it.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(String name, BufferedReader reader, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (reader) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                sink.accept("(" + name + " broken: " + e + ")");
            }
            sink.accept(EOF);
        }, "go-recipes-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** The Go program, built on first use in this JVM; skips the calling test when Go is not installed. */
    static synchronized Path binary() {
        if (binary != null) {
            return binary;
        }
        Optional<Path> go = onPath("go");
        Assumptions.assumeTrue(go.isPresent() && Files.isDirectory(GO_SOURCES),
                "Go or etcd's Go sources are not installed (apt-get install golang-go golang-etcd-server-dev):"
                        + " skipping interop with Go's recipes");
        Path module = Path.of("").toAbsolutePath();
        Path out = module.resolve("target/go-interop/etcdgointerop");
        ProcessBuilder build = new ProcessBuilder(go.get().toString(), "build", "-o", out.toString(), "etcdgointerop")
                .directory(module.toFile())
                .redirectErrorStream(true);
        build.environment().put("GO111MODULE", "off");
        build.environment().put("GOPATH", module.resolve("src/test/go") + File.pathSeparator + "/usr/share/gocode");
        build.environment().put("GOCACHE", module.resolve("target/go-cache").toString());
        try {
            Process p = build.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("go build of etcdgointerop failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run go build", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted building etcdgointerop", e);
        }
        binary = out;
        return binary;
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
