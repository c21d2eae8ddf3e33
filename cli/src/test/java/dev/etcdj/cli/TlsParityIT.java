package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import dev.etcdj.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS, both ways round, with certificates made at test time ({@link TestCerts}): etcdctl and etcdj
 * against a real etcd serving https with client certificate auth must print the same; and
 * {@code etcdj serve} with etcd's TLS flags, in its own JVM, must answer etcdctl (and etcdj) exactly
 * as that real etcd does, including every way of getting TLS wrong.
 */
class TlsParityIT {

    private static Path dir;
    private static TestCerts certs;
    private static EtcdProcess etcd;
    private static Process ours;
    private static String etcdHostPort;
    private static String oursHostPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("etcdj-tls-it");
        certs = TestCerts.create(dir);
        etcd = EtcdProcess.builder().name("default")
                .clientTls(certs.file("server.crt"), certs.file("server.key"), certs.file("ca.crt")).build();
        etcd.start();
        etcdHostPort = "127.0.0.1:" + etcd.clientPort();
        oursHostPort = "127.0.0.1:" + FreePorts.next();
        ours = serve(dir.resolve("serve.log"), "--data-dir", dir.resolve("ours").toString(),
                "--listen-client-urls", "https://" + oursHostPort, "--advertise-client-urls", "https://" + oursHostPort,
                "--cert-file", certs.path("server.crt"), "--key-file", certs.path("server.key"),
                "--trusted-ca-file", certs.path("ca.crt"), "--client-cert-auth");
        awaitHealthy(ours, oursHostPort, dir.resolve("serve.log"));
    }

    /** {@code etcdj serve} in a child JVM on the test class path. */
    private static Process serve(Path log, String... flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.etcdj.cli.Main", "serve"));
        cmd.addAll(List.of(flags));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Polls etcdctl over mutual TLS (each call bounded by its own timeouts) until the server answers. */
    private static void awaitHealthy(Process p, String hostPort, Path log) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            Result r = AdminRunner.etcdctl(concat(List.of("--endpoints", hostPort, "--dial-timeout", "1s",
                    "--command-timeout", "2s"), mutual()), Step.of("endpoint", "health"));
            if (r.code() == 0) {
                return;
            }
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("server did not start: " + r + "\n" + Files.readString(log));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
        if (ours != null) {
            ours.destroy();
            if (!ours.waitFor(30, TimeUnit.SECONDS)) {
                ours.destroyForcibly().waitFor();
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Every step runs four times: etcdctl and etcdj against real etcd, then both against
     * {@code etcdj serve}. etcdj must print what etcdctl prints, and neither may tell the servers apart.
     */
    @Test
    void etcdctlAndEtcdjCannotTellOurTlsServerFromEtcd() throws Exception {
        Script onEtcd = script(etcdHostPort);
        Script onOurs = script(oursHostPort);
        for (int i = 0; i < onEtcd.steps.size(); i++) {
            List<String> g = onEtcd.globals.get(i);
            Step s = onEtcd.steps.get(i);
            String step = String.join(" ", onOurs.globals.get(i)) + " " + String.join(" ", s.args());
            Result etcdctl = AdminRunner.etcdctl(g, s);
            Result etcdj = AdminRunner.etcdj(g, s);
            assertThat(took(etcdj)).as("etcdj → etcd: %s", step).isEqualTo(took(etcdctl));
            Result etcdctlOurs = AdminRunner.etcdctl(onOurs.globals.get(i), onOurs.steps.get(i));
            Result etcdjOurs = AdminRunner.etcdj(onOurs.globals.get(i), onOurs.steps.get(i));
            assertThat(servers(etcdctlOurs, oursHostPort)).as("etcdctl → etcdj serve: %s", step)
                    .isEqualTo(servers(etcdctl, etcdHostPort));
            assertThat(servers(etcdjOurs, oursHostPort)).as("etcdj → etcdj serve: %s", step)
                    .isEqualTo(servers(etcdj, etcdHostPort));
        }
    }

    /**
     * {@code check datascale} reads {@code /metrics} of a member that requires client certificates,
     * presenting --cert/--key as etcdctl does, on real etcd and on {@code etcdj serve}.
     */
    @Test
    void datascalePresentsTheClientCertificateToMetrics() {
        for (String hostPort : List.of(etcdHostPort, oursHostPort)) {
            Result r = AdminRunner.etcdj(concat(List.of("--endpoints", "https://" + hostPort), mutual()),
                    Step.of("check", "datascale", "--x-test-keys", "20", "--prefix", "/datascale-tls/"));
            assertThat(r.code()).as("%s: %s", hostPort, r).isZero();
            assertThat(r.out()).as("%s", hostPort).contains("PASS: Approximate system memory used : ");
        }
    }

    /** etcd's own refusals of an https URL without a certificate and of half a key pair, in its words. */
    @Test
    void serveRefusesHttpsWithoutACertificate() throws Exception {
        List<String> https = List.of("serve", "--data-dir", dir.resolve("refused").toString(),
                "--listen-client-urls", "https://127.0.0.1:0", "--advertise-client-urls", "https://127.0.0.1:0");
        Result noCert = AdminRunner.etcdj(List.of(), Step.of(https.toArray(String[]::new)));
        assertThat(noCert.code()).as("%s", noCert).isEqualTo(1);
        assertThat(noCert.err()).contains(" C | etcdmain: TLS key/cert (--cert-file, --key-file) must be provided "
                + "for client url https://127.0.0.1:0 with HTTPS scheme\n");
        List<String> halfPair = new ArrayList<>(https);
        halfPair.addAll(List.of("--cert-file", certs.path("server.crt")));
        Result half = AdminRunner.etcdj(List.of(), Step.of(halfPair.toArray(String[]::new)));
        assertThat(half.code()).as("%s", half).isEqualTo(1);
        assertThat(half.err()).contains(" C | etcdmain: KeyFile and CertFile must both be present[key: , cert: "
                + certs.path("server.crt") + "]\n");
        List<String> badKey = new ArrayList<>(https);
        badKey.addAll(List.of("--cert-file", certs.path("server.crt"), "--key-file", certs.path("server.crt")));
        Result bad = AdminRunner.etcdj(List.of(), Step.of(badKey.toArray(String[]::new)));
        assertThat(bad.code()).as("%s", bad).isEqualTo(1);
        assertThat(bad.err()).contains(" C | etcdmain: invalid TLS key/cert: no private key found in " + certs.path("server.crt"));
    }

    private record Script(List<List<String>> globals, List<Step> steps) {}

    private static Script script(String hostPort) {
        List<String> quick = List.of("--dial-timeout", "1s", "--command-timeout", "2s");
        Script s = new Script(new ArrayList<>(), new ArrayList<>());
        add(s, concat(List.of("--endpoints", "https://" + hostPort), mutual()), "put", "foo", "bar");
        add(s, concat(List.of("--endpoints", "https://" + hostPort), mutual()), "get", "foo");
        add(s, concat(List.of("--endpoints", "https://" + hostPort), mutual()), "get", "foo", "-w", "json");
        add(s, concat(List.of("--endpoints", hostPort), mutual()), "get", "foo");
        add(s, concat(List.of("--endpoints", hostPort), mutual()), "member", "list", "-w", "table");
        add(s, concat(List.of("--endpoints", hostPort), mutual()), "endpoint", "health", "--cluster");
        add(s, List.of("--endpoints", hostPort, "--insecure-skip-tls-verify", "--cert", certs.path("client.crt"),
                "--key", certs.path("client.key")), "get", "foo");
        add(s, concat(List.of("--endpoints", hostPort, "--cacert", certs.path("otherca.crt"), "--cert",
                certs.path("client.crt"), "--key", certs.path("client.key")), quick), "get", "foo");
        add(s, concat(List.of("--endpoints", hostPort), quick), "get", "foo");
        add(s, concat(List.of("--endpoints", hostPort, "--cacert", certs.path("ca.crt")), quick), "get", "foo");
        add(s, List.of("--endpoints", hostPort, "--cacert", ""), "get", "foo");
        return s;
    }

    private static List<String> mutual() {
        return List.of("--cacert", certs.path("ca.crt"), "--cert", certs.path("client.crt"), "--key", certs.path("client.key"));
    }

    private static Result took(Result r) {
        return new Result(AdminRunner.normaliseTook(r.out()), AdminRunner.normaliseTook(r.err()), r.code());
    }

    /**
     * What differs between two servers by nature: their address, member IDs, raft numbers and peer
     * URL (etcd's real peer port, our advertised default); table columns are sized to those.
     */
    private static Result servers(Result r, String hostPort) {
        return new Result(server(r.out(), hostPort), server(r.err(), hostPort), r.code());
    }

    private static String server(String s, String hostPort) {
        return AdminParityIT.normalise(s.replace(hostPort, "ENDPOINT"), null, null)
                .replaceAll("http://localhost:2380", "URL")
                .replaceAll("-+\\+", "-+")
                .replaceAll(" *\\| *", " | ");
    }

    private static void add(Script s, List<String> global, String... args) {
        s.globals.add(global);
        s.steps.add(Step.of(args));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
