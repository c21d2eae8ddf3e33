package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.EtcdjServerTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./etcdj} launcher as users run it (the packaged jar, the class-data archive it records
 * after a build, its JVM flags): short commands print what the real etcdctl prints against the same
 * server, byte for byte, and the archive is there afterwards.
 */
class LauncherIT {

    private final Cleanup cleanup = new Cleanup();

    @AfterEach
    void cleanUp() throws Exception {
        cleanup.close();
    }

    @Test
    void shortCommandsPrintWhatEtcdctlPrints() throws Exception {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("etcdj");
        assertThat(launcher).isExecutable();
        EtcdjServerTarget server = EtcdjServerTarget.inMemory(b -> {});
        cleanup.close(server);
        server.start();
        List<String> global = List.of("--endpoints=" + server.endpoint().replaceFirst("^http://", ""));
        List<Step> steps = List.of(Step.of("put", "launcher-key", "v1"), Step.of("get", "launcher-key"),
                Step.of("get", "launcher", "--prefix", "-w", "json"), Step.of("endpoint", "health"),
                Step.of("get", "launcher-key", "--bogus-flag"),
                // Runs with the full jar behind etcdj-ctl.jar: the snapshot file code is the server's.
                Step.of("snapshot", "status", "/nonexistent/etcdj-launcher.db"));
        for (Step s : steps) {
            Result expected = AdminRunner.etcdctl(global, s);
            Result actual = run(launcher, global, s);
            assertThat(normalise(actual)).as("./etcdj %s", String.join(" ", s.args())).isEqualTo(normalise(expected));
        }
        Path archive = shortCommandArchive(launcher.resolveSibling("cli/target"));
        assertThat(Files.size(archive)).as(archive.toString()).isPositive();
        assertThat(launcher.resolveSibling("cli/target/etcdj-ctl.jar")).isRegularFile();

        // An archive that could not be made is an empty file: commands run without it (output
        // unchanged) and do not try to make it again until the next build.
        Files.write(archive, new byte[0]);
        try {
            Step s = Step.of("get", "launcher-key");
            assertThat(normalise(run(launcher, global, s))).as("./etcdj get, archive empty")
                    .isEqualTo(normalise(AdminRunner.etcdctl(global, s)));
            assertThat(Files.size(archive)).as("not made again").isZero();
        } finally {
            Files.delete(archive); // the next command records it afresh
        }
    }

    /** The short commands' archive of the launcher's JVM: one per Java build, the server's apart. */
    private static Path shortCommandArchive(Path target) throws java.io.IOException {
        List<Path> archives = new ArrayList<>();
        try (var found = Files.newDirectoryStream(target, "etcdj-*.jsa")) {
            found.forEach(p -> {
                if (!p.getFileName().toString().startsWith("etcdj-serve-")) {
                    archives.add(p);
                }
            });
        }
        // Newest first: another JVM's archive may be there from an earlier run.
        archives.sort(java.util.Comparator.comparing((Path p) -> p.toFile().lastModified()).reversed());
        assertThat(archives).as("archives in " + target).isNotEmpty();
        return archives.get(0);
    }

    /**
     * With JAVA_HOME naming a JDK 25 or later, the launcher runs that JVM and, in place of the class-data
     * archive, records an ahead-of-time cache for it (its training server gone afterwards); output stays
     * etcdctl's, with none of JDK 25's warnings. Skipped where no such JDK is installed.
     */
    @Test
    void jdk25RecordsAndUsesAnAheadOfTimeCache() throws Exception {
        Path jdk = jdkAtLeast(25);
        Assumptions.assumeTrue(jdk != null, "no JDK 25 or later under /usr/lib/jvm or in ETCDJ_TEST_JDK25");
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("etcdj");
        EtcdjServerTarget server = EtcdjServerTarget.inMemory(b -> {});
        cleanup.close(server);
        server.start();
        List<String> global = List.of("--endpoints=" + server.endpoint().replaceFirst("^http://", ""));
        Path target = launcher.resolveSibling("cli/target");
        try (var old = Files.newDirectoryStream(target, "etcdj-*.aot")) {
            for (Path p : old) {
                Files.delete(p); // recorded afresh by the first command below
            }
        }
        Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());
        List<Step> steps = List.of(Step.of("put", "launcher-aot", "v1"), Step.of("get", "launcher-aot"),
                Step.of("endpoint", "health"), Step.of("get", "launcher-aot", "--bogus-flag"));
        for (Step s : steps) {
            Result expected = AdminRunner.etcdctl(global, s);
            Result actual = run(launcher, global, s, env);
            assertThat(normalise(actual)).as("JDK 25 ./etcdj %s", String.join(" ", s.args())).isEqualTo(normalise(expected));
        }
        List<Path> caches = new ArrayList<>();
        try (var found = Files.newDirectoryStream(target, "etcdj-*.aot")) {
            found.forEach(caches::add);
        }
        assertThat(caches).hasSize(1);
        assertThat(Files.size(caches.get(0))).isPositive();
        assertThat(ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                .filter(c -> c.contains("ArchiveTraining") && c.contains(target.toString())).toList()).as("training server left running").isEmpty();
    }

    /** A JDK of at least this feature version: ETCDJ_TEST_JDK25, else one under /usr/lib/jvm, else null. */
    private static Path jdkAtLeast(int feature) throws Exception {
        List<Path> candidates = new ArrayList<>();
        String named = System.getenv("ETCDJ_TEST_JDK25");
        if (named != null && !named.isEmpty()) {
            candidates.add(Path.of(named));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (var dirs = Files.newDirectoryStream(jvms)) {
                dirs.forEach(candidates::add);
            }
        }
        for (Path home : candidates) {
            Path release = home.resolve("release");
            if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
                continue;
            }
            for (String line : Files.readAllLines(release)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^JAVA_VERSION=\"(\\d+)").matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) >= feature) {
                    return home;
                }
            }
        }
        return null;
    }

    private static Result normalise(Result r) {
        return new Result(AdminRunner.normaliseTook(r.out()), AdminRunner.normaliseTook(r.err()), r.code());
    }

    private Result run(Path launcher, List<String> global, Step s) throws Exception {
        return run(launcher, global, s, Map.of());
    }

    private Result run(Path launcher, List<String> global, Step s, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(global);
        cmd.addAll(List.of(s.args()));
        Path dir = cleanup.tempDir("etcdj-launcher");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        // The first run after a build records the class-data archive first: allow for a loaded machine.
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./etcdj hung: " + cmd);
        }
        return new Result(Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")), p.exitValue());
    }
}
