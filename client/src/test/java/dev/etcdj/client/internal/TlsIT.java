package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.testing.EtcdProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS and mutual TLS against a real etcd with certificates made by openssl for the test. */
class TlsIT {

    static Path dir;
    static EtcdProcess etcd;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("etcdj-tls-it");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=etcdj-test-ca");
        Files.writeString(dir.resolve("server.ext"),
                "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:etcd.test\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        // Server key as PKCS#8 (openssl 3's default); client keys in each format etcd users have.
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
        sign("server", "server.ext");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "client-pkcs8.key");
        sign("client-pkcs8", "client.ext");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "client-sec1.key");
        sign("client-sec1", "client.ext");
        openssl("genrsa", "-traditional", "-out", "client-rsa.key", "2048");
        sign("client-rsa", "client.ext");
        assertThat(Files.readString(dir.resolve("client-sec1.key"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("client-rsa.key"))).contains("BEGIN RSA PRIVATE KEY");
        etcd = EtcdProcess.builder().clientTls(p("server.crt"), p("server.key"), p("ca.crt")).build();
        etcd.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (etcd != null) {
            etcd.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static Path p(String name) {
        return dir.resolve(name);
    }

    static void sign(String name, String ext) throws Exception {
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", ext);
    }

    static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process proc = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    private static void roundTrip(TlsConfig tls, String endpoint) {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint).tls(tls).build()) {
            client.kv().blocking().put("tls", "yes");
            assertThat(client.kv().blocking().get("tls").kvs().get(0).value().toStringUtf8()).isEqualTo("yes");
        }
    }

    @Test
    void mutualTlsWithEveryKeyFormat() {
        for (String client : List.of("client-pkcs8", "client-sec1", "client-rsa")) {
            roundTrip(TlsConfig.mutual(p("ca.crt"), p(client + ".crt"), p(client + ".key")), etcd.endpoint());
        }
    }

    @Test
    void aConfiguredTlsAppliesToEndpointsWithoutScheme() {
        roundTrip(TlsConfig.mutual(p("ca.crt"), p("client-sec1.crt"), p("client-sec1.key")),
                "127.0.0.1:" + etcd.clientPort());
    }

    @Test
    void authorityOverrideIsCheckedAgainstTheCertificate() {
        TlsConfig tls = TlsConfig.mutual(p("ca.crt"), p("client-pkcs8.crt"), p("client-pkcs8.key"));
        roundTrip(tls.withAuthority("etcd.test"), etcd.endpoint());
        try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint())
                .tls(tls.withAuthority("not-in-the-cert.test")).dialTimeout(Duration.ofSeconds(1)).build()) {
            assertThatThrownBy(() -> client.kv().blocking().get("tls")).isInstanceOf(EtcdUnavailableException.class);
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnUnknownCa() {
        TlsConfig noCa = new TlsConfig(Optional.empty(), Optional.of(p("client-pkcs8.crt")),
                Optional.of(p("client-pkcs8.key")), Optional.empty(), false);
        roundTrip(noCa.withInsecureSkipVerify(), etcd.endpoint());
        // Without it, the JVM's trust store does not know the test CA.
        try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint()).tls(noCa)
                .dialTimeout(Duration.ofSeconds(1)).build()) {
            assertThatThrownBy(() -> client.kv().blocking().get("tls")).isInstanceOf(EtcdUnavailableException.class);
        }
    }

    @Test
    void plainHttpToATlsServerFailsAsUnavailable() {
        try (EtcdClient client = EtcdClient.builder().endpoints("http://127.0.0.1:" + etcd.clientPort())
                .dialTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(3)).build()) {
            assertThatThrownBy(() -> client.kv().blocking().get("tls"))
                    .isInstanceOfAny(EtcdUnavailableException.class, dev.etcdj.client.EtcdTimeoutException.class);
        }
    }
}
