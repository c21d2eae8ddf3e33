package dev.etcdj.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real etcdctl 3.4 run once against an endpoint, its stdout and stderr as one transcript. */
final class Etcdctl {
    static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    private Etcdctl() {
    }

    /** Fails the test (it would compare nothing) when etcdctl is not installed. */
    static void requireInstalled() {
        assertTrue(Files.isExecutable(ETCDCTL), "etcdctl not installed");
    }

    /** {@code line} split on spaces, no stdin. */
    static String run(String endpoint, String line) throws Exception {
        return run(endpoint, null, List.of(line.split(" ")));
    }

    /**
     * Runs etcdctl with {@code args} (and {@code stdin}, if not null) and returns what it printed. A
     * watch never ends by itself: after 3 s what it printed so far is the result; anything else gets 30 s.
     */
    static String run(String endpoint, String stdin, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + endpoint,
                "--command-timeout=10s"));
        cmd.addAll(args);
        Path outFile = Files.createTempFile("etcdctl-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(outFile.toFile());
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(args.contains("watch") ? 3 : 30, TimeUnit.SECONDS)) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            return Files.readString(outFile, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(outFile);
        }
    }
}
