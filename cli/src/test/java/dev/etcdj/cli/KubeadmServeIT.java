package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import dev.etcdj.testing.TestCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubeadm's etcd static-pod command line (its TLS files, peer flags, --listen-metrics-urls, ...), with
 * loopback addresses and test certificates, given unchanged to the real etcd 3.4 and to {@code etcdj serve}
 * — as flags, as {@code ETCD_*} variables and as a config file — and {@code etcdctl endpoint health} over
 * mutual TLS must say the same of both.
 */
class KubeadmServeIT {

    /** How the settings reach the server. */
    enum Form { FLAGS, ENV, CONFIG_FILE }

    @TempDir
    Path dir;

    private TestCerts certs;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void certs() throws Exception {
        certs = TestCerts.create(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Kubeadm's settings (cmd/kubeadm/app/phases/etcd/local.go), node IP 127.0.0.2, in its order. */
    private Map<String, String> kubeadm(String name, Path dataDir, int client, int peer, int metrics) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("advertise-client-urls", "https://127.0.0.2:" + client);
        m.put("cert-file", certs.path("server.crt"));
        m.put("client-cert-auth", "true");
        m.put("data-dir", dataDir.toString());
        m.put("experimental-initial-corrupt-check", "true");
        m.put("initial-advertise-peer-urls", "https://127.0.0.2:" + peer);
        m.put("initial-cluster", name + "=https://127.0.0.2:" + peer);
        m.put("key-file", certs.path("server.key"));
        m.put("listen-client-urls", "https://127.0.0.1:" + client + ",https://127.0.0.2:" + client);
        m.put("listen-metrics-urls", "http://127.0.0.1:" + metrics);
        m.put("listen-peer-urls", "https://127.0.0.2:" + peer);
        m.put("name", name);
        m.put("peer-cert-file", certs.path("server.crt"));
        m.put("peer-client-cert-auth", "true");
        m.put("peer-key-file", certs.path("server.key"));
        m.put("peer-trusted-ca-file", certs.path("ca.crt"));
        m.put("snapshot-count", "10000");
        m.put("trusted-ca-file", certs.path("ca.crt"));
        return m;
    }

    private static final java.util.Set<String> TLS_KEYS = java.util.Set.of("cert-file", "key-file", "trusted-ca-file",
            "client-cert-auth", "peer-cert-file", "peer-key-file", "peer-trusted-ca-file", "peer-client-cert-auth");

    /** The same settings in etcd's YAML: TLS under the two *-transport-security keys, numbers and booleans typed. */
    private static String yaml(Map<String, String> s) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : s.entrySet()) {
            String k = e.getKey();
            if (TLS_KEYS.contains(k)) {
                continue; // under client-/peer-transport-security below
            }
            boolean bare = e.getValue().equals("true") || e.getValue().matches("\\d+");
            sb.append(k).append(": ").append(bare ? e.getValue() : "'" + e.getValue() + "'").append('\n');
        }
        for (String side : List.of("client", "peer")) {
            String p = side.equals("client") ? "" : "peer-";
            sb.append(side).append("-transport-security:\n")
                    .append("  cert-file: '").append(s.get(p + "cert-file")).append("'\n")
                    .append("  key-file: '").append(s.get(p + "key-file")).append("'\n")
                    .append("  trusted-ca-file: '").append(s.get(p + "trusted-ca-file")).append("'\n")
                    .append("  client-cert-auth: ").append(s.get(p + "client-cert-auth")).append('\n');
        }
        return sb.toString();
    }

    private String[] start(boolean real, Form form, String name) throws Exception {
        int[] ports = FreePorts.next(3);
        Path data = dir.resolve(name + "-data");
        Map<String, String> s = kubeadm(name, data, ports[0], ports[1], ports[2]);
        List<String> cmd = new ArrayList<>();
        if (real) {
            cmd.add(EtcdProcess.configuredBinary().toString());
        } else {
            cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.etcdj.cli.Main", "serve"));
        }
        ProcessBuilder pb = new ProcessBuilder();
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        switch (form) {
            case FLAGS -> s.forEach((k, v) -> cmd.add("--" + k + "=" + v));
            case ENV -> s.forEach((k, v) -> pb.environment().put("ETCD_" + k.toUpperCase().replace('-', '_'), v));
            case CONFIG_FILE -> {
                Path file = dir.resolve(name + ".yaml");
                Files.writeString(file, yaml(s));
                cmd.add("--config-file=" + file);
            }
        }
        Path log = dir.resolve(name + ".log");
        Process p = pb.command(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        String endpoint = "127.0.0.1:" + ports[0];
        Await.until(Duration.ofSeconds(90), name + " healthy over mutual TLS", () -> {
            if (!p.isAlive()) {
                throw new AssertionError(name + " exited " + p.exitValue() + ":\n" + read(log));
            }
            return health(endpoint).code() == 0;
        });
        return new String[] {endpoint, "http://127.0.0.1:" + ports[2] + "/health"};
    }

    private Result health(String endpoint) {
        try {
            return AdminRunner.etcdctl(List.of("--endpoints", endpoint, "--dial-timeout", "1s", "--command-timeout", "2s",
                    "--cacert", certs.path("ca.crt"), "--cert", certs.path("client.crt"), "--key", certs.path("client.key")),
                    Step.of("endpoint", "health"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String get(String url) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String masked(Result r) {
        return (r.out() + r.err() + r.code()).replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                .replaceAll("took = \\S+", "took = T");
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void kubeadmSettingsStartBothAndHealthAgrees(Form form) throws Exception {
        String[] etcdAt = start(true, form, "etcd-" + form.name().toLowerCase());
        String[] oursAt = start(false, form, "etcdj-" + form.name().toLowerCase());
        String etcd = etcdAt[0];
        String ours = oursAt[0];
        // curl /health on the metrics URL: same status and body.
        assertThat(get(oursAt[1])).isEqualTo(get(etcdAt[1])).startsWith("200 ");
        Result fromEtcd = health(etcd);
        Result fromOurs = health(ours);
        assertThat(fromEtcd.out() + fromEtcd.err()).contains(" is healthy: successfully committed proposal"); // etcdctl 3.4 prints it on stderr
        assertThat(masked(fromOurs)).as("etcdj serve vs etcd, %s", form).isEqualTo(masked(fromEtcd));
        // Without a client certificate, both refuse the same way.
        Result noCert = AdminRunner.etcdctl(List.of("--endpoints", ours, "--dial-timeout", "1s", "--command-timeout", "2s",
                "--cacert", certs.path("ca.crt")), Step.of("endpoint", "health"));
        Result noCertEtcd = AdminRunner.etcdctl(List.of("--endpoints", etcd, "--dial-timeout", "1s", "--command-timeout", "2s",
                "--cacert", certs.path("ca.crt")), Step.of("endpoint", "health"));
        assertThat(noCert.code()).isEqualTo(noCertEtcd.code()).isNotZero();
    }
}
