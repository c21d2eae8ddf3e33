package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's {@code --auto-tls}, {@code --cipher-suites}, {@code --client-crl-file} and
 * {@code --client-cert-allowed-hostname}, given
 * to the real etcd 3.4.23 and to {@code etcdj serve} (in this JVM): etcdctl and curl get the same from
 * both, and both write the same kind of auto TLS certificate. Certificates and the CRL are made with
 * openssl (its {@code ca -revoke}/{@code -gencrl}, which the JDK has no tool for).
 */
class ServeTlsFlagsIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final Background bg = new Background();

    /** Starts the real etcd with these flags; its output goes to {@code log}. */
    private void etcd(List<String> flags, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(EtcdProcess.configuredBinary().toString()));
        cmd.addAll(flags);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD_"));
        Process p = pb.start();
        bg.closeLater(() -> {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        });
    }

    /** etcdctl's global flags for this endpoint, with these TLS flags. */
    private static List<String> at(List<String> tls, String endpoint) {
        List<String> g = new ArrayList<>(List.of("--endpoints", endpoint, "--dial-timeout", "1s", "--command-timeout", "3s"));
        g.addAll(tls);
        return g;
    }

    private static Result etcdctl(List<String> tls, String endpoint, String... args) throws Exception {
        return AdminRunner.etcdctl(at(tls, endpoint), Step.of(args));
    }

    private static void awaitHealthy(List<String> tls, String endpoint) {
        AdminRunner.awaitHealthy(at(tls, endpoint), Duration.ofSeconds(90));
    }

    /**
     * What differs between the two servers by nature: the address, the time a health check took, the
     * client's id, member and cluster ids and timestamps; and grpc-go's reconnection warnings, whose number depends on timing.
     */
    private static Result same(Result r, String endpoint) {
        String hostPort = endpoint.substring("https://".length());
        String err = r.err().lines().filter(l -> !l.startsWith("WARNING: ")).map(l -> l + "\n")
                .reduce("", String::concat);
        return new Result(AdminRunner.normaliseTook(r.out().replace(hostPort, "ENDPOINT"))
                        .replaceAll("\"(cluster_id|member_id)\":\\d+", "\"$1\":ID"),
                AdminRunner.normaliseTook(err.replace(hostPort, "ENDPOINT"))
                        .replaceAll("client-[0-9a-f-]+", "client-ID").replaceAll("\"ts\":\"[^\"]+\"", "\"ts\":TS"),
                r.code());
    }

    @Test
    void autoTlsServesAlikeWithTheSameKindOfCertificate() throws Exception {
        int[] p = FreePorts.next(4);
        Path etcdData = dir.resolve("etcd");
        Path ourData = dir.resolve("ours");
        List<String> etcdFlags = Background.singleMember("https", etcdData, p[0], p[1]);
        etcdFlags.add("--auto-tls");
        etcd(etcdFlags, dir.resolve("etcd.log"));
        List<String> ourFlags = Background.singleMember("https", ourData, p[2], p[3]);
        ourFlags.addAll(List.of("--auto-tls", "--logger=zap"));
        ByteArrayOutputStream ourLog = bg.serve(ourFlags);
        String real = "https://127.0.0.1:" + p[0];
        String ours = "https://127.0.0.1:" + p[2];
        // etcdctl 3.4 sets up TLS for --insecure-skip-tls-verify only with --insecure-transport=false
        List<String> skipVerify = List.of("--insecure-transport=false", "--insecure-skip-tls-verify");
        awaitHealthy(skipVerify, real);
        awaitHealthy(skipVerify, ours);

        String[][] script = {{"endpoint", "health"}, {"put", "k", "v"}, {"get", "k"}, {"get", "k", "-w", "json"}};
        for (String[] step : script) {
            Result r = etcdctl(skipVerify, real, step);
            Result o = etcdctl(skipVerify, ours, step);
            assertThat(same(o, ours)).as("etcdctl %s", String.join(" ", step)).isEqualTo(same(r, real));
        }
        // verifying the server: its own certificate is the only trust anchor both need
        Result r = etcdctl(List.of("--insecure-transport=false", "--cacert", etcdData + "/fixtures/client/cert.pem"), real, "get", "k");
        Result o = etcdctl(List.of("--insecure-transport=false", "--cacert", ourData + "/fixtures/client/cert.pem"), ours, "get", "k");
        assertThat(o).isEqualTo(r);
        assertThat(r.out()).isEqualTo("k\nv\n");
        assertThat(curl(List.of("-k"), ours + "/health")).isEqualTo(curl(List.of("-k"), real + "/health")).isEqualTo("0 {\"health\":\"true\"}");

        X509Certificate etcdCert = cert(etcdData.resolve("fixtures/client/cert.pem"));
        X509Certificate ourCert = cert(ourData.resolve("fixtures/client/cert.pem"));
        assertThat(describe(ourCert)).isEqualTo(describe(etcdCert));
        for (Path data : List.of(etcdData, ourData)) {
            Path key = data.resolve("fixtures/client/key.pem");
            assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as("%s", key).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        }
        String log = ourLog.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("\"msg\":\"created cert file\",\"path\":\"" + ourData + "/fixtures/client/cert.pem\"")
                .contains("\"msg\":\"created key file\",\"path\":\"" + ourData + "/fixtures/client/key.pem\"")
                .contains("\"msg\":\"starting with client TLS\",\"tls-info\":\"cert = " + ourData
                        + "/fixtures/client/cert.pem, key = " + ourData + "/fixtures/client/key.pem, trusted-ca = , "
                        + "client-cert-auth = false, crl-file = \",\"cipher-suites\":[]")
                .contains("\"msg\":\"serving client traffic securely\",\"address\":\"127.0.0.1:" + p[2] + "\"");
    }

    /** The fields etcd sets on its auto TLS certificate (serial, key and dates differ by nature), as comparable values. */
    private static List<Object> describe(X509Certificate c) throws Exception {
        return List.of(c.getVersion(), c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getSigAlgName(), c.getPublicKey().getAlgorithm(),
                ((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize(),
                Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()),
                c.getBasicConstraints(), new java.util.TreeSet<>(c.getCriticalExtensionOIDs()),
                new java.util.TreeSet<>(c.getNonCriticalExtensionOIDs()),
                java.util.Arrays.toString(c.getKeyUsage()), new ArrayList<>(c.getExtendedKeyUsage()),
                new ArrayList<>(c.getSubjectAlternativeNames()),
                c.getSerialNumber().bitLength() <= 128);
    }

    @Test
    void cipherSuitesLimitTls12HandshakesAlike() throws Exception {
        // auto TLS certificates have P-256 keys: ECDSA suites.
        String[] both = startBoth(List.of("--auto-tls", "--cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        String real = both[0];
        String ours = both[1];
        List<String> skipVerify = List.of("--insecure-transport=false", "--insecure-skip-tls-verify");
        awaitHealthy(skipVerify, real);
        awaitHealthy(skipVerify, ours);

        List<String> tls12 = List.of("-k", "--tlsv1.2", "--tls-max", "1.2", "--ciphers");
        String listed = curl(concat(tls12, "ECDHE-ECDSA-AES128-GCM-SHA256"), real + "/health");
        assertThat(curl(concat(tls12, "ECDHE-ECDSA-AES128-GCM-SHA256"), ours + "/health")).isEqualTo(listed)
                .isEqualTo("0 {\"health\":\"true\"}");
        String unlisted = curl(concat(tls12, "ECDHE-ECDSA-AES256-GCM-SHA384"), real + "/health");
        assertThat(unlisted).as("etcd refuses a suite not listed").doesNotStartWith("0 ");
        assertThat(curl(concat(tls12, "ECDHE-ECDSA-AES256-GCM-SHA384"), ours + "/health")).isEqualTo(unlisted);
        // Go's list is for TLS 1.2 only: TLS 1.3 keeps its own suites.
        List<String> tls13 = List.of("-k", "--tlsv1.3");
        assertThat(curl(tls13, ours + "/health")).isEqualTo(curl(tls13, real + "/health"));
    }

    /** Starts the real etcd and {@code etcdj serve}, each with these TLS flags; their endpoints, etcd's first. */
    private String[] startBoth(List<String> tlsFlags) throws IOException {
        int[] p = FreePorts.next(4);
        List<String> etcdFlags = Background.singleMember("https", dir.resolve("etcd"), p[0], p[1]);
        etcdFlags.addAll(tlsFlags);
        etcd(etcdFlags, dir.resolve("etcd.log"));
        List<String> ourFlags = Background.singleMember("https", dir.resolve("ours"), p[2], p[3]);
        ourFlags.addAll(tlsFlags);
        bg.serve(ourFlags);
        return new String[] {"https://127.0.0.1:" + p[0], "https://127.0.0.1:" + p[2]};
    }

    private static List<String> concat(List<String> head, String last) {
        List<String> all = new ArrayList<>(head);
        all.add(last);
        return all;
    }

    @Test
    void revokedAndOtherHostCertificatesAreRefusedAlike() throws Exception {
        Path pki = dir.resolve("pki");
        Files.createDirectories(pki);
        makePki(pki);
        Path crl = pki.resolve("crl");
        Files.copy(pki.resolve("crl.pem"), crl);
        String[] both = startBoth(List.of("--cert-file=" + pki.resolve("server.crt"), "--key-file=" + pki.resolve("server.key"),
                "--trusted-ca-file=" + pki.resolve("ca.crt"), "--client-cert-auth", "--client-crl-file=" + crl,
                "--client-cert-allowed-hostname=good"));
        String real = both[0];
        String ours = both[1];
        awaitHealthy(client(pki, "good"), real);
        awaitHealthy(client(pki, "good"), ours);

        for (String form : List.of("PEM", "DER")) {
            if (form.equals("DER")) { // both read the list again for each connection
                Files.copy(pki.resolve("crl.der"), crl, StandardCopyOption.REPLACE_EXISTING);
            }
            // good: valid for "good", not revoked; revoked: valid for "good", revoked; other: valid for "other" only
            for (String who : List.of("good", "revoked", "other")) {
                Result r = etcdctl(client(pki, who), real, "put", "k", who);
                Result o = etcdctl(client(pki, who), ours, "put", "k", who);
                assertThat(same(o, ours)).as("%s CRL, client %s", form, who).isEqualTo(same(r, real));
                assertThat(r.code()).as("%s CRL, client %s: %s", form, who, r).isEqualTo(who.equals("good") ? 0 : 1);
                List<String> curlTls = List.of("--cacert", pki.resolve("ca.crt").toString(), "--cert",
                        pki.resolve(who + ".crt").toString(), "--key", pki.resolve(who + ".key").toString());
                String curlReal = curl(curlTls, real + "/health");
                String curlOurs = curl(curlTls, ours + "/health");
                if (who.equals("good")) {
                    assertThat(curlOurs).isEqualTo(curlReal).isEqualTo("0 {\"health\":\"true\"}");
                } else { // refused on the HTTP side of the port too (curl's exit code tells how the TLS ended)
                    assertThat(curlReal).as("etcd, %s", who).doesNotStartWith("0 ").doesNotContain("health");
                    assertThat(curlOurs).as("etcdj, %s", who).doesNotStartWith("0 ").doesNotContain("health");
                }
            }
        }
    }

    private static List<String> client(Path pki, String who) {
        return List.of("--cacert", pki.resolve("ca.crt").toString(), "--cert", pki.resolve(who + ".crt").toString(),
                "--key", pki.resolve(who + ".key").toString());
    }

    /** A CA; a server certificate for 127.0.0.1; clients good and revoked (both for "good"), other (for "other"); a CRL revoking "revoked". */
    private static void makePki(Path d) throws Exception {
        Files.writeString(d.resolve("ca.cnf"), "[ca]\ndefault_ca = CA_default\n[CA_default]\ndatabase = index.txt\n"
                + "default_md = sha256\ndefault_crl_days = 2\n");
        Files.writeString(d.resolve("index.txt"), "");
        openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-subj", "/CN=etcdj-test-ca", "-days", "2");
        signed(d, "server", 4097, "IP:127.0.0.1,DNS:localhost");
        signed(d, "good", 4098, "DNS:good");
        signed(d, "revoked", 4099, "DNS:good");
        signed(d, "other", 4100, "DNS:other");
        openssl(d, "ca", "-config", "ca.cnf", "-revoke", "revoked.crt", "-keyfile", "ca.key", "-cert", "ca.crt");
        openssl(d, "ca", "-config", "ca.cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.crt", "-out", "crl.pem");
        openssl(d, "crl", "-in", "crl.pem", "-outform", "DER", "-out", "crl.der");
    }

    private static void signed(Path d, String name, int serial, String san) throws Exception {
        openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(d.resolve(name + ".ext"), "subjectAltName=" + san + "\nextendedKeyUsage=serverAuth,clientAuth\n");
        openssl(d, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
                String.valueOf(serial), "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    }

    private static void openssl(Path d, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + cmd + "\n" + out);
        }
    }

    /** curl's exit code and body. */
    private static String curl(List<String> tls, String url) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", "10"));
        cmd.addAll(tls);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl hung: " + cmd);
        }
        return p.exitValue() + " " + out;
    }

    private static X509Certificate cert(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
