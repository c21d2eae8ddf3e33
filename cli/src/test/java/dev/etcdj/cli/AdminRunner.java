package dev.etcdj.cli;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one step through the real etcdctl (a process) or through etcdj's {@link Main} (in-process). */
final class AdminRunner {

    private AdminRunner() {}

    static Result etcdctl(List<String> global, Step s) throws Exception {
        return etcdctl(global, s, 60);
    }

    /** The same, for a command that runs longer than a minute by design ({@code check perf}). */
    static Result etcdctl(List<String> global, Step s, int timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcdctl"));
        cmd.addAll(global);
        cmd.addAll(List.of(s.args()));
        Path dir = Files.createTempDirectory("etcdctl-run");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                    .redirectError(dir.resolve("err").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            p.getOutputStream().write(s.stdin().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("etcdctl hung: " + cmd);
            }
            return new Result(Files.readString(dir.resolve("out")), dropZapLines(Files.readString(dir.resolve("err"))),
                    p.exitValue());
        } finally {
            Files.deleteIfExists(dir.resolve("out"));
            Files.deleteIfExists(dir.resolve("err"));
            Files.deleteIfExists(dir);
        }
    }

    /** Waits until {@code etcdctl endpoint health} with these global flags succeeds. */
    static void awaitHealthy(List<String> global, Duration within) {
        Await.until(within, global + " healthy", () -> {
            try {
                return etcdctl(global, Step.of("endpoint", "health")).code() == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    static Result etcdj(List<String> global, Step s) {
        List<String> args = new ArrayList<>(global);
        args.addAll(List.of(s.args()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(s.stdin().getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("ETCDCTL_API", "3"));
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }

    /**
     * etcdctl's zap log lines (a warning before every failed call, the info lines of snapshot save)
     * carry timestamps and random client IDs; etcdj does not print them.
     */
    static String dropZapLines(String err) {
        StringBuilder sb = new StringBuilder();
        for (String line : err.split("(?<=\n)")) {
            if (!line.startsWith("{\"level\":")) {
                sb.append(line);
            }
        }
        return sb.toString();
    }

    /** Go's duration text of a measured time ("took") legitimately differs run to run. */
    static String normaliseTook(String s) {
        return s.replaceAll("took = [0-9.]+(ns|µs|ms|s)", "took = T")
                .replaceAll("\"took\":\"[0-9.]+(ns|µs|ms|s)\"", "\"took\":\"T\"")
                .replaceAll("\"Took\" : [0-9.]+(ns|µs|ms|s)", "\"Took\" : T")
                .replaceAll("\\| +[0-9.]+(ns|µs|ms|s) \\|", "| T |")
                .replaceAll("-+\\+", "-+")
                .replaceAll("\\| +TOOK +\\|", "| TOOK |");
    }
}
