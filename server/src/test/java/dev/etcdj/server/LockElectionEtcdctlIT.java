package dev.etcdj.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The real etcdctl's lock and elect commands against our server. */
class LockElectionEtcdctlIT {
    private EtcdServer server;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Etcdctl.requireInstalled();
        server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (server != null) {
            server.close();
        }
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }

    /** A long-running etcdctl whose output goes to a file we can poll. */
    private final class Bg {
        final Process process;
        final Path out;

        Bg(String... args) throws Exception {
            out = Files.createTempFile("etcdctl-", ".out");
            files.add(out);
            List<String> cmd = new ArrayList<>(List.of(Etcdctl.ETCDCTL.toString(),
                    "--endpoints=" + server.endpoint()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            processes.add(process);
        }

        String output() throws Exception {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        void awaitOutput(String expected) throws Exception {
            eventually(() -> output().equals(expected));
        }

        /** Ends it like Ctrl-C, so etcdctl revokes its session lease. */
        void interrupt() throws Exception {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    private String keysUnder(String prefix) throws Exception {
        return Etcdctl.run(server.endpoint(), "get " + prefix + " --prefix --keys-only");
    }

    @Test
    void secondLockWaitsUntilTheHolderExits() throws Exception {
        Bg first = new Bg("lock", "mylock");
        eventually(() -> first.output().startsWith("mylock/"));
        String firstKey = first.output().trim();
        assertThat(firstKey).matches("mylock/[0-9a-f]+");
        Bg second = new Bg("lock", "mylock");
        // the second contender's key appears, but it must not get the lock while the first holds it
        eventually(() -> keysUnder("mylock/").split("\n+").length == 2);
        assertThat(second.output()).isEmpty();
        first.interrupt();
        eventually(() -> second.output().startsWith("mylock/"));
        assertThat(second.output().trim()).matches("mylock/[0-9a-f]+").isNotEqualTo(firstKey);
        second.interrupt();
        eventually(() -> keysUnder("mylock/").isEmpty());
    }

    @Test
    void lockRunsACommandWhileHoldingIt() throws Exception {
        String out = Etcdctl.run(server.endpoint(), "lock mylock echo held");
        assertThat(out).isEqualTo("held\n");
        assertThat(keysUnder("mylock/")).isEmpty();
    }

    @Test
    void electionLeaderChangesAndObserverFollows() throws Exception {
        assertThat(Etcdctl.run(server.endpoint(), "elect -l myelection")).isEmpty();
        Bg observer = new Bg("elect", "-l", "myelection");
        Bg p1 = new Bg("elect", "myelection", "p1");
        eventually(() -> p1.output().matches("myelection/[0-9a-f]+\np1\n"));
        String p1Key = p1.output().split("\n")[0];
        observer.awaitOutput(p1Key + "\np1\n");
        Bg p2 = new Bg("elect", "myelection", "p2");
        eventually(() -> keysUnder("myelection/").split("\n+").length == 2);
        assertThat(p2.output()).isEmpty();
        p1.interrupt();
        eventually(() -> p2.output().matches("myelection/[0-9a-f]+\np2\n"));
        String p2Key = p2.output().split("\n")[0];
        observer.awaitOutput(p1Key + "\np1\n" + p2Key + "\np2\n");
    }

    /** Waits up to 20 s for {@code cond}; a check that throws (etcdctl not done yet) counts as not yet. */
    private static void eventually(Callable<Boolean> cond) throws InterruptedException {
        ServerTestBase.await(() -> {
            try {
                return cond.call();
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(20));
    }
}
