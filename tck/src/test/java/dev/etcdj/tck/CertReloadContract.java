package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.testing.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Certificate rotation on a running server, as etcd 3.4 does it: the server certificate and key are
 * read from their files for each new TLS connection (etcd's {@code GetCertificate}), so files replaced
 * on disk serve the next connection without a restart, while open connections keep their session; the
 * trusted CA file is read once, at start. Where the files on disk are not a usable pair (half written,
 * key of another certificate), etcd fails every new handshake until they are fixed, while our server
 * keeps serving the last good pair ({@link #keepsLastGoodPair()}); on both the server stays up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CertReloadContract {

    private static final Duration DIAL = Duration.ofSeconds(2);
    private static final Duration REQUEST = Duration.ofSeconds(8);

    /** Starts a server on these files; with a CA file, requiring client certificates. */
    protected abstract TlsContract.TlsServer start(String name, Path certFile, Path keyFile, Path trustedCa);

    /** Whether a new connection gets the last good pair while the files are bad (etcd: the handshake fails). */
    protected abstract boolean keepsLastGoodPair();

    private Path dir;
    private TestCerts a;
    private TestCerts b;
    private Path cert;
    private Path key;
    private Path bothCas;
    private TlsContract.TlsServer server;

    @BeforeAll
    void makeCerts() throws IOException {
        dir = Files.createTempDirectory("etcdj-cert-reload");
        a = TestCerts.create(Files.createDirectory(dir.resolve("a")));
        b = TestCerts.create(Files.createDirectory(dir.resolve("b")));
        bothCas = dir.resolve("both-ca.crt");
        Files.writeString(bothCas, Files.readString(a.file("ca.crt")) + Files.readString(b.file("ca.crt")));
    }

    @BeforeEach
    void liveFiles() throws IOException {
        Path live = Files.createTempDirectory(dir, "live");
        cert = live.resolve("server.crt");
        key = live.resolve("server.key");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @AfterAll
    void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void replacedFilesServeNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        install(a, a);
        server = start("reload", cert, key, null);
        assertThat(servedSerial()).isEqualTo(serial(a));
        try (KeptConnection kept = new KeptConnection(server.tlsPort());
                EtcdClient trustsA = client(TlsConfig.trusting(a.file("ca.crt")))) {
            assertThat(kept.version()).contains("etcdserver");
            trustsA.kv().blocking().put("/reload/a", "1");

            install(b, b);
            assertThat(servedSerial()).as("a new connection gets the new certificate").isEqualTo(serial(b));
            assertThat(kept.version()).as("an open HTTPS connection keeps its session").contains("etcdserver");
            // A client that trusts only the old CA still works: its connection was made before.
            assertThat(trustsA.kv().blocking().get("/reload/a").kvs()).hasSize(1);
            try (EtcdClient trustsB = client(TlsConfig.trusting(b.file("ca.crt")))) {
                assertThat(trustsB.kv().blocking().get("/reload/a").kvs()).hasSize(1);
            }
            try (EtcdClient newA = client(TlsConfig.trusting(a.file("ca.crt")))) {
                assertThatThrownBy(() -> newA.kv().blocking().get("/reload/a"))
                        .isInstanceOf(EtcdUnavailableException.class);
            }
            assertThat(etcdctl(b.file("ca.crt"), "get", "/reload/a", "--print-value-only")).isEqualTo(0);
            assertThat(etcdctl(a.file("ca.crt"), "get", "/reload/a", "--print-value-only")).isNotEqualTo(0);
        }
    }

    @Test
    void badFilesDoNotTakeTheServerDown() throws Exception {
        install(a, a);
        server = start("reload-bad", cert, key, null);
        try (KeptConnection kept = new KeptConnection(server.tlsPort())) {
            assertThat(kept.version()).contains("etcdserver");
            // Half of the new certificate written, the key not yet.
            byte[] half = Files.readAllBytes(b.file("server.crt"));
            Files.write(cert, Arrays.copyOf(half, half.length / 2));
            expectWhileBad();
            // The whole certificate, but the old key: not a pair.
            Files.copy(b.file("server.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
            expectWhileBad();
            assertThat(kept.version()).as("open connections are not touched").contains("etcdserver");
            try (EtcdClient plain = EtcdClient.builder().endpoints("127.0.0.1:" + server.plainPort())
                    .dialTimeout(DIAL).requestTimeout(REQUEST).build()) {
                plain.kv().blocking().put("/reload/up", "1");
            }
            // The key lands: the new pair serves.
            Files.copy(b.file("server.key"), key, StandardCopyOption.REPLACE_EXISTING);
            assertThat(servedSerial()).isEqualTo(serial(b));
        }
    }

    private void expectWhileBad() throws Exception {
        if (keepsLastGoodPair()) {
            assertThat(servedSerial()).as("the last good pair serves").isEqualTo(serial(a));
        } else {
            assertThatThrownBy(this::servedSerial).as("etcd fails the handshake").isInstanceOf(IOException.class);
        }
    }

    /**
     * With client certificates required: a rotated server certificate serves while client
     * certificates are still checked, against the CA file as it was at start (etcd reads it once).
     */
    @Test
    void clientCertificatesStillCheckedAgainstTheCaReadAtStart() throws Exception {
        install(a, a);
        Path trusted = cert.resolveSibling("trusted-ca.crt");
        Files.copy(a.file("ca.crt"), trusted);
        server = start("reload-mtls", cert, key, trusted);
        install(b, b);
        Files.copy(b.file("ca.crt"), trusted, StandardCopyOption.REPLACE_EXISTING);
        // Trusting only B's CA: the server now presents B's certificate. A's client certificate is
        // still accepted and B's refused: the CA file was not read again.
        try (EtcdClient c = client(TlsConfig.mutual(b.file("ca.crt"), a.file("client.crt"), a.file("client.key")))) {
            c.kv().blocking().put("/reload/mtls", "1");
        }
        try (EtcdClient c = client(TlsConfig.mutual(b.file("ca.crt"), b.file("client.crt"), b.file("client.key")))) {
            assertThatThrownBy(() -> c.kv().blocking().get("/reload/mtls")).isInstanceOf(EtcdUnavailableException.class);
        }
        try (EtcdClient c = client(TlsConfig.trusting(b.file("ca.crt")))) {
            assertThatThrownBy(() -> c.kv().blocking().get("/reload/mtls")).isInstanceOf(EtcdUnavailableException.class);
        }
    }

    // ---- helpers

    /** Writes the pair in place, certificate first, as an agent rewriting its files does. */
    private void install(TestCerts certFrom, TestCerts keyFrom) throws IOException {
        Files.write(cert, Files.readAllBytes(certFrom.file("server.crt")));
        Files.write(key, Files.readAllBytes(keyFrom.file("server.key")));
    }

    private EtcdClient client(TlsConfig tls) {
        return EtcdClient.builder().endpoints("https://127.0.0.1:" + server.tlsPort()).tls(tls)
                .dialTimeout(DIAL).requestTimeout(REQUEST).build();
    }

    private static BigInteger serial(TestCerts certs) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(certs.file("server.crt"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    /** The serial number of the certificate a new TLS connection is given. */
    private BigInteger servedSerial() throws IOException, GeneralSecurityException {
        try (SSLSocket s = tlsSocket(server.tlsPort())) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private SSLSocket tlsSocket(int port) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(bothCas)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    private int etcdctl(Path ca, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints", "https://127.0.0.1:" + server.tlsPort(),
                "--cacert", ca.toString(), "--dial-timeout", "2s", "--command-timeout", "5s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("etcdctl did not finish: " + cmd);
        }
        return p.exitValue();
    }

    /** One HTTPS connection kept open across the rotation, asked GET /version each time. */
    private final class KeptConnection implements AutoCloseable {
        private final SSLSocket socket;

        KeptConnection(int port) throws IOException, GeneralSecurityException {
            socket = tlsSocket(port);
            socket.startHandshake();
        }

        String version() throws IOException {
            socket.getOutputStream().write("GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            int length = -1;
            String status = null;
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                if (status == null) {
                    status = line;
                } else if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            assertThat(status).startsWith("HTTP/1.1 200");
            assertThat(length).as("a Content-Length, so the connection can be reused").isPositive();
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    out.write(c);
                }
            }
            return out.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
