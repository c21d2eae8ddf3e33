package dev.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autoTls(true)}: https served with a certificate made at start, on disk or in memory. */
class AutoTlsTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithTheCertificateItWrote() throws Exception {
        Path data = dir.resolve("data");
        try (EtcdServer s = EtcdServer.builder().dataDir(data).listenClientUrls(List.of("https://127.0.0.1:0"))
                .autoTls(true).build()) {
            s.start();
            X509Certificate served = health(s.endpoint());
            assertThat(served.getEncoded()).isEqualTo(java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(data.resolve("fixtures/client/cert.pem"))).getEncoded());
            assertThat(data.resolve("fixtures/client/key.pem")).exists();
        }
    }

    @Test
    void inMemoryKeepsTheCertificateInMemory() throws Exception {
        try (EtcdServer s = EtcdServer.builder().inMemory().listenClientUrls(List.of("https://127.0.0.1:0"))
                .autoTls(true).build()) {
            s.start();
            assertThat(health(s.endpoint()).getSubjectX500Principal().getName()).isEqualTo("O=etcd");
        }
    }

    /** GET /health over TLS without verifying the server; returns the certificate it presented. */
    private static X509Certificate health(String endpoint) throws Exception {
        URI u = URI.create(endpoint);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket sock = (SSLSocket) ctx.getSocketFactory().createSocket(u.getHost(), u.getPort())) {
            sock.setSoTimeout(30_000);
            OutputStream out = sock.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 200").contains("{\"health\":\"true\"}");
            return (X509Certificate) sock.getSession().getPeerCertificates()[0];
        }
    }
}
