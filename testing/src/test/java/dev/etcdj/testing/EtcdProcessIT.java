package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdProcessIT {
    private static final Duration SHORT = Duration.ofMillis(500);

    private EtcdProcess etcd;

    @AfterEach
    void cleanUp() {
        if (etcd != null) {
            etcd.close();
        }
    }

    /** A default etcd in {@link #etcd}, started; the field is set first, so a failed start is still closed. */
    private void startEtcd() {
        etcd = EtcdProcess.builder().build();
        etcd.start();
    }

    @Test
    void startsHealthyOnLoopbackAndCloseLeavesNothingBehind() {
        startEtcd();

        assertThat(etcd.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(etcd.endpoints()).containsExactly(etcd.endpoint());
        assertThat(EtcdHttp.healthy(etcd.endpoint(), SHORT)).isTrue();
        assertThat(etcd.isRealEtcd()).isTrue();
        ProcessHandle handle = etcd.processHandle();
        Path workDir = etcd.dataDir().getParent();

        etcd.close();
        etcd.close(); // idempotent

        assertThat(handle.isAlive()).isFalse();
        assertThat(ProcessHandle.of(handle.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(workDir).doesNotExist();
        assertThat(EtcdHttp.healthy(etcd.endpoint(), SHORT)).isFalse();
        assertThatThrownBy(etcd::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void restartKeepsPortsAndData() throws Exception {
        startEtcd();
        String endpoint = etcd.endpoint();
        long firstPid = etcd.pid();
        TestHttp.put(endpoint, "k", "survives-restart");

        etcd.restart();

        assertThat(etcd.endpoint()).isEqualTo(endpoint);
        assertThat(etcd.pid()).isNotEqualTo(firstPid);
        assertThat(TestHttp.get(endpoint, "k")).contains(TestHttp.b64("survives-restart"));
    }

    @Test
    void killIsImmediateAndStartRecoversTheData() throws Exception {
        startEtcd();
        TestHttp.put(etcd.endpoint(), "k", "survives-kill");
        ProcessHandle handle = etcd.processHandle();

        etcd.kill();

        assertThat(handle.isAlive()).isFalse();
        assertThat(etcd.isRunning()).isFalse();
        assertThat(EtcdHttp.healthy(etcd.endpoint(), SHORT)).isFalse();

        etcd.start();
        assertThat(TestHttp.get(etcd.endpoint(), "k")).contains(TestHttp.b64("survives-kill"));
    }

    @Test
    void stopThenStartWorks() {
        startEtcd();
        ProcessHandle handle = etcd.processHandle();
        etcd.stop();
        assertThat(handle.isAlive()).isFalse();
        etcd.stop(); // no-op when already stopped
        etcd.start();
        assertThat(EtcdHttp.healthy(etcd.endpoint(), SHORT)).isTrue();
    }

    @Test
    void pausedEtcdAnswersNothingUntilResumed() {
        startEtcd();

        etcd.pause();
        assertThat(etcd.isRunning()).isTrue();
        assertThat(EtcdHttp.healthy(etcd.endpoint(), SHORT)).isFalse();

        etcd.resume();
        etcd.awaitHealthy(Duration.ofSeconds(10));
    }

    @Test
    void stopAndCloseWorkOnAPausedProcess() {
        startEtcd();
        ProcessHandle handle = etcd.processHandle();
        etcd.pause();

        etcd.close();

        assertThat(handle.isAlive()).isFalse();
    }

    @Test
    void extraArgsReachEtcd() throws Exception {
        etcd = EtcdProcess.builder().args("--max-txn-ops=2").build();
        etcd.start();
        String threeOps = "{\"success\":["
                + "{\"requestPut\":{\"key\":\"" + TestHttp.b64("a") + "\"}},"
                + "{\"requestPut\":{\"key\":\"" + TestHttp.b64("b") + "\"}},"
                + "{\"requestPut\":{\"key\":\"" + TestHttp.b64("c") + "\"}}]}";

        assertThatThrownBy(() -> TestHttp.post(etcd.endpoint(), "/v3/kv/txn", threeOps))
                .hasMessageContaining("too many operations in txn request");
    }

    @Test
    void givenDataDirIsUsedAndKept(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("my-data");
        etcd = EtcdProcess.builder().dataDir(dataDir).build();
        etcd.start();
        TestHttp.put(etcd.endpoint(), "k", "v");
        etcd.close();

        assertThat(dataDir.resolve("member")).isDirectory();

        // A second process on the same data dir sees what the first wrote.
        etcd = EtcdProcess.builder().dataDir(dataDir).build();
        etcd.start();
        assertThat(TestHttp.get(etcd.endpoint(), "k")).contains(TestHttp.b64("v"));
    }

    @Test
    void missingBinaryFailsWithAClearMessage() {
        etcd = EtcdProcess.builder().binary(Path.of("/nonexistent/etcd")).build();

        assertThatThrownBy(etcd::start)
                .isInstanceOf(EtcdProcessException.class)
                .hasMessageContaining("/nonexistent/etcd")
                .hasMessageContaining("ETCD_BINARY");
    }

    @Test
    void failedStartCarriesTheLogTailAndLeavesNoProcess() {
        etcd = EtcdProcess.builder().args("--no-such-flag").build();

        assertThatThrownBy(etcd::start)
                .isInstanceOf(EtcdProcessException.class)
                .hasMessageContaining("exited")
                .hasMessageContaining("no-such-flag");
        assertThat(etcd.isRunning()).isFalse();
        assertThat(Files.exists(etcd.logFile())).isTrue();
    }

    @Test
    void portTakenOnFirstStartIsRetriedOnFreshPorts() throws Exception {
        int taken = FreePorts.next();
        try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
            squatter.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), taken));
            etcd = EtcdProcess.builder().build();
            forceClientPort(etcd, taken);

            etcd.start();

            assertThat(etcd.clientPort()).isNotEqualTo(taken);
            assertThat(EtcdHttp.healthy(etcd.endpoint(), SHORT)).isTrue();
        }
    }

    @Test
    void clientTlsServesHttpsRequiresClientCertificatesAndSurvivesRestart(@TempDir Path tmp) throws Exception {
        openssl(tmp, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=etcdj-testing-ca");
        Files.writeString(tmp.resolve("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        Files.writeString(tmp.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        for (String name : new String[] {"server", "client"}) {
            openssl(tmp, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
            openssl(tmp, "req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
            openssl(tmp, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
        }
        etcd = EtcdProcess.builder()
                .clientTls(tmp.resolve("server.crt"), tmp.resolve("server.key"), tmp.resolve("ca.crt")).build();
        etcd.start();

        assertThat(etcd.endpoint()).isEqualTo("https://127.0.0.1:" + etcd.clientPort());
        String ca = tmp.resolve("ca.crt").toString();
        assertThat(etcdctl(etcd, "--cacert", ca, "--cert", tmp.resolve("client.crt").toString(),
                "--key", tmp.resolve("client.key").toString(), "put", "k", "v")).isEqualTo("OK");
        // Without a client certificate the handshake fails: --client-cert-auth is on.
        assertThatThrownBy(() -> etcdctl(etcd, "--cacert", ca, "--dial-timeout", "2s", "get", "k"))
                .hasMessageContaining("failed");
        assertThat(EtcdHttp.healthy("http://127.0.0.1:" + etcd.clientPort(), SHORT)).isFalse();

        String endpoint = etcd.endpoint();
        etcd.restart();
        assertThat(etcd.endpoint()).isEqualTo(endpoint);
        assertThat(etcdctl(etcd, "--cacert", ca, "--cert", tmp.resolve("client.crt").toString(),
                "--key", tmp.resolve("client.key").toString(), "get", "k", "--print-value-only")).isEqualTo("v");
    }

    private static void openssl(Path dir, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("openssl"));
        cmd.addAll(java.util.List.of(args));
        run(new ProcessBuilder(cmd).directory(dir.toFile()));
    }

    /** etcdctl against {@code etcd}'s endpoint; its trimmed output, or an exception carrying it. */
    private static String etcdctl(EtcdProcess etcd, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(
                java.util.List.of("/usr/bin/etcdctl", "--endpoints", etcd.endpoint()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("ETCDCTL_API", "3");
        return run(pb);
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new java.io.IOException(String.join(" ", pb.command()) + " failed: " + out);
        }
        return out.strip();
    }

    // Simulates another process grabbing our picked port between pick and use.
    private static void forceClientPort(EtcdProcess p, int port) throws Exception {
        java.lang.reflect.Field f = EtcdProcess.class.getDeclaredField("clientPort");
        f.setAccessible(true);
        f.setInt(p, port);
    }
}
