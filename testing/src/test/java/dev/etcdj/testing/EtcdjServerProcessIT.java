package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our server in a child JVM, driven with the real etcdctl: kill -9 keeps acknowledged data, restart keeps the port. */
class EtcdjServerProcessIT {

    private static String etcdctl(String endpoint, String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/etcdctl",
                "--endpoints=" + endpoint, "--command-timeout=20s"));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void killNineKeepsAcknowledgedWritesAndThePort() throws Exception {
        try (EtcdjServerProcess server = EtcdjServerProcess.create()) {
            server.start();
            String endpoint = server.endpoint();
            assertThat(etcdctl(endpoint, "put", "k", "v1")).contains("OK");
            assertThat(etcdctl(endpoint, "put", "k2", "v1")).contains("OK");
            assertThat(etcdctl(endpoint, "endpoint", "health")).contains("healthy");
            server.kill();
            assertThat(server.isRunning()).isFalse();
            server.start();
            assertThat(server.endpoint()).isEqualTo(endpoint);
            assertThat(etcdctl(endpoint, "get", "k", "--print-value-only")).isEqualTo("v1\n");
            assertThat(Files.isDirectory(server.dataDir())).isTrue();
        }
    }
}
