package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.EtcdjServerTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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
        assertThat(launcher.resolveSibling("cli/target/etcdj.jsa")).isRegularFile();
        assertThat(launcher.resolveSibling("cli/target/etcdj-ctl.jar")).isRegularFile();
    }

    private static Result normalise(Result r) {
        return new Result(AdminRunner.normaliseTook(r.out()), AdminRunner.normaliseTook(r.err()), r.code());
    }

    private Result run(Path launcher, List<String> global, Step s) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(global);
        cmd.addAll(List.of(s.args()));
        Path dir = cleanup.tempDir("etcdj-launcher");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL_"));
        Process p = pb.start();
        // The first run after a build records the class-data archive first: allow for a loaded machine.
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./etcdj hung: " + cmd);
        }
        return new Result(Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")), p.exitValue());
    }
}
