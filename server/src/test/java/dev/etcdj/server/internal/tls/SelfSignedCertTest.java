package dev.etcdj.server.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.proto.internal.PemKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's auto TLS certificate, field by field, and Go's host name rules for allowed hostnames. */
class SelfSignedCertTest {

    @TempDir
    Path dir;

    @Test
    void writesEtcdsCertificateAndReusesIt() throws Exception {
        Path fixtures = dir.resolve("data").resolve("fixtures").resolve("client");
        SelfSignedCert.CertFiles f = SelfSignedCert.ensure(fixtures,
                List.of("https://127.0.0.1:2379", "http://localhost:2380", "https://[::1]:1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fixtures))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.key()))).isEqualTo("rw-------");
        String keyPem = Files.readString(f.key());
        assertThat(keyPem).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
        X509Certificate cert;
        try (var in = Files.newInputStream(f.cert())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("O=etcd");
        assertThat(cert.getIssuerX500Principal().getName()).isEqualTo("O=etcd");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA512withECDSA");
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
        assertThat(Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(365));
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.15", "2.5.29.19");
        assertThat(cert.getKeyUsage()).startsWith(true, false, true); // digitalSignature, keyEncipherment
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "localhost"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        cert.verify(cert.getPublicKey());
        // the key file is the certificate's key
        ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(PemKeys.pkcs8Der(keyPem, "key.pem")));
        var sig = java.security.Signature.getInstance("SHA256withECDSA");
        sig.initSign(key);
        sig.update(new byte[] {1});
        byte[] s = sig.sign();
        sig.initVerify(cert.getPublicKey());
        sig.update(new byte[] {1});
        assertThat(sig.verify(s)).isTrue();

        String before = Files.readString(f.cert());
        SelfSignedCert.ensure(fixtures, List.of("https://10.0.0.1:1"));
        assertThat(Files.readString(f.cert())).as("existing files are used as they are").isEqualTo(before);
    }

    @Test
    void allowedHostnameFollowsGosRules() throws Exception {
        X509Certificate c = SelfSignedCert.generate(List.of("*.example.com", "client", "127.0.0.1")).cert();
        assertThat(ClientCertChecks.validFor(c, "client")).isTrue();
        assertThat(ClientCertChecks.validFor(c, "CLIENT")).isTrue();
        assertThat(ClientCertChecks.validFor(c, "a.example.com")).isTrue();
        assertThat(ClientCertChecks.validFor(c, "a.b.example.com")).isFalse();
        assertThat(ClientCertChecks.validFor(c, "example.com")).isFalse();
        assertThat(ClientCertChecks.validFor(c, "127.0.0.1")).isTrue();
        assertThat(ClientCertChecks.validFor(c, "127.0.0.2")).isFalse();
        assertThat(ClientCertChecks.validFor(c, "other")).isFalse();
        X509Certificate noSans = SelfSignedCert.generate(List.of()).cert();
        assertThat(ClientCertChecks.validFor(noSans, "etcd")).as("the CN/O is never used").isFalse();
    }
}
