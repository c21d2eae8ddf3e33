package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.serve.ServeMain;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Command lines, environments and config files that etcd 3.4 refuses, given to the real etcd and to
 * {@code etcdj serve}: the same exit code and the same error lines (the first line for flag syntax, which
 * etcd follows with its usage; every warn/error/fatal line otherwise), timestamps and callers masked.
 */
class ServeFlagParityIT {

    @TempDir
    Path dir;

    private int[] ports;

    /** {@code C}, {@code P}: a client and a peer port; {@code D}: the data dir; {@code F}: a config file. */
    static Stream<Arguments> refused() {
        String base = "--listen-client-urls=http://127.0.0.1:C --advertise-client-urls=http://127.0.0.1:C "
                + "--listen-peer-urls=http://127.0.0.1:P --initial-advertise-peer-urls=http://127.0.0.1:P "
                + "--initial-cluster=default=http://127.0.0.1:P --data-dir=D";
        return Stream.of(
                Arguments.of("unknown flag", "--foo " + base, Map.of(), null),
                Arguments.of("bad number", base + " --snapshot-count=abc", Map.of(), null),
                Arguments.of("bad bool", base + " --client-cert-auth=maybe", Map.of(), null),
                Arguments.of("bad uint32", base + " --max-concurrent-streams=-1", Map.of(), null),
                Arguments.of("bad choice", base + " --initial-cluster-state=foo", Map.of(), null),
                Arguments.of("bad url", base + " --listen-client-urls=127.0.0.1:1", Map.of(), null),
                Arguments.of("url with path", base + " --advertise-client-urls=http://127.0.0.1:1/x", Map.of(), null),
                Arguments.of("missing value", base + " --name", Map.of(), null),
                Arguments.of("positional", base + " extra", Map.of(), null),
                Arguments.of("no advertise", "--listen-client-urls=http://127.0.0.1:C --data-dir=D", Map.of(), null),
                Arguments.of("no advertise, zap", "--logger=zap --listen-client-urls=http://127.0.0.1:C --data-dir=D", Map.of(), null),
                Arguments.of("compaction mode", base + " --auto-compaction-mode=foo", Map.of(), null),
                Arguments.of("compaction mode, zap", base + " --logger=zap --auto-compaction-mode=foo", Map.of(), null),
                Arguments.of("heartbeat", base + " --heartbeat-interval=0", Map.of(), null),
                Arguments.of("election", base + " --election-timeout=100", Map.of(), null),
                Arguments.of("election too long", base + " --election-timeout=60000", Map.of(), null),
                Arguments.of("host name to bind", base + " --listen-client-urls=http://foo:1", Map.of(), null),
                Arguments.of("logger", base + " --logger=foo", Map.of(), null),
                Arguments.of("lease checkpoint persist", base + " --experimental-enable-lease-checkpoint-persist", Map.of(), null),
                Arguments.of("env conflict", base + " --name=y", Map.of("ETCD_NAME", "x"), null),
                Arguments.of("env bad value", base, Map.of("ETCD_SNAPSHOT_COUNT", "abc", "ETCD_FOO", "1"), null),
                Arguments.of("env bad bool", base, Map.of("ETCD_ENABLE_PPROF", "maybe"), null),
                Arguments.of("not in initial cluster", base + " --initial-cluster=a=http://127.0.0.1:P", Map.of(), null),
                Arguments.of("not in initial cluster, zap", base + " --logger=zap --initial-cluster=a=http://127.0.0.1:P", Map.of(), null),
                Arguments.of("peer url mismatch", base + " --initial-advertise-peer-urls=http://127.0.0.1:C", Map.of(), null),
                Arguments.of("https without cert", base + " --listen-client-urls=https://127.0.0.1:C", Map.of(), null),
                Arguments.of("config file: wrong type", "--config-file=F", Map.of(),
                        "name: 123\ndata-dir: D\nsnapshot-count: 7\n"),
                Arguments.of("config file: first wrong type in key order", "--config-file=F", Map.of(),
                        "name: 123\nauto-compaction-retention: 1\ndata-dir: D\n"),
                Arguments.of("config file: duration as text", "--config-file=F", Map.of(),
                        "grpc-keepalive-min-time: 5s\ndata-dir: D\n"),
                Arguments.of("config file: bad url", "--config-file=F", Map.of(),
                        "listen-client-urls: 'foo'\ndata-dir: D\n"),
                Arguments.of("config file from the environment", "", Map.of("ETCD_CONFIG_FILE", "F", "ETCD_NAME", "ignored"),
                        "name: 123\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedAlike(String what, String args, Map<String, String> env, String configFile) throws Exception {
        ports = FreePorts.next(2); // the same for both: they appear in some messages
        Outcome etcd = runEtcd(args, env, configFile, dir.resolve("etcd"));
        Outcome ours = runServe(args, env, configFile, dir.resolve("etcdj"));
        assertThat(ours.code).as("%s: exit code; etcd said:\n%s\netcdj said:\n%s", what, etcd.err, ours.err).isEqualTo(etcd.code);
        assertThat(errorLines(ours.err, ours.code)).as(what).isEqualTo(errorLines(etcd.err, etcd.code));
    }

    private record Outcome(int code, String err) {}

    private List<String> expand(String args, Path where, String configFile, Map<String, String> env,
            Map<String, String> expandedEnv) throws Exception {
        Files.createDirectories(where);
        Map<String, String> subst = Map.of("C", String.valueOf(ports[0]), "P", String.valueOf(ports[1]),
                "D", where.resolve("data").toString(), "F", where.resolve("conf.yaml").toString());
        if (configFile != null) {
            Files.writeString(where.resolve("conf.yaml"), substitute(configFile, subst));
        }
        env.forEach((k, v) -> expandedEnv.put(k, substitute(v, subst)));
        List<String> out = new ArrayList<>();
        for (String a : args.split(" ")) {
            if (!a.isEmpty()) {
                out.add(substitute(a, subst));
            }
        }
        return out;
    }

    private static String substitute(String s, Map<String, String> subst) {
        String r = s.replaceAll(":C\\b", ":" + subst.get("C")).replaceAll(":P\\b", ":" + subst.get("P"));
        r = r.replaceAll("(^|=|: )D\\b", "$1" + java.util.regex.Matcher.quoteReplacement(subst.get("D")));
        return r.replaceAll("(^|=)F$", "$1" + java.util.regex.Matcher.quoteReplacement(subst.get("F")));
    }

    private Outcome runEtcd(String args, Map<String, String> env, String configFile, Path where) throws Exception {
        Map<String, String> e = new HashMap<>();
        List<String> cmd = new ArrayList<>(List.of(EtcdProcess.configuredBinary().toString()));
        cmd.addAll(expand(args, where, configFile, env, e));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(where.resolve("log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        pb.environment().putAll(e);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("etcd accepted " + cmd + ":\n" + Files.readString(where.resolve("log")));
            }
            return new Outcome(p.exitValue(), Files.readString(where.resolve("log")));
        } finally {
            p.destroyForcibly();
        }
    }

    private Outcome runServe(String args, Map<String, String> env, String configFile, Path where) throws Exception {
        Map<String, String> e = new HashMap<>();
        List<String> a = expand(args, where, configFile, env, e);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> ServeMain.run(a, both, both, e, stop));
        try {
            return new Outcome(run.get(60, TimeUnit.SECONDS), buf.toString(StandardCharsets.UTF_8));
        } catch (java.util.concurrent.TimeoutException started) {
            stop.complete(null);
            throw new AssertionError("etcdj serve accepted " + a + ":\n" + buf.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The lines that say why: for a flag syntax error (exit 2) the first line; else every capnslog
     * W/E/C line and zap warn/error/fatal line, with timestamps, callers and stack traces masked.
     */
    static List<String> errorLines(String err, int code) {
        List<String> lines = err.lines().toList();
        if (code == 2) {
            return lines.isEmpty() ? List.of() : List.of(lines.get(0));
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String m = l.replaceFirst("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} ", "TS ")
                    .replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":TS").replaceAll("\"caller\":\"[^\"]*\"", "\"caller\":C")
                    .replaceAll(",\"stacktrace\":\"[^\"]*\"", "");
            if (m.matches("TS [WEC] \\|.*") || m.matches("\\{\"level\":\"(warn|error|fatal)\".*") || m.startsWith("panic:")) {
                out.add(m);
            }
        }
        return out;
    }
}
