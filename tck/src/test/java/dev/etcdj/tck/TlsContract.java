package dev.etcdj.tck;

import static dev.etcdj.client.Options.prefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etcdj.client.AuthClient;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.KeySource;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.client.TrustSource;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.TestCerts;
import dev.etcdj.testing.dns.LoopbackDns;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client over TLS, with CAs and certificates made at test time ({@link TestCerts}): one server
 * with server-verified TLS, one with mutual TLS (client certificates required). Besides calls that
 * work, each way of getting TLS wrong must fail as {@link EtcdUnavailableException} with a message
 * that says what is wrong (the certificate, or TLS against plain text), not just "unavailable".
 * Run against real etcd and against our server, which must refuse the same things.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TlsContract {

    /** Short, so that the failing cases (which retry until the dial timeout) stay quick. */
    private static final Duration DIAL = Duration.ofSeconds(2);
    private static final Duration REQUEST = Duration.ofSeconds(8);
    /** How long a stream's listener may take to hear its terminal error. */
    private static final Duration STREAM_WAIT = Duration.ofSeconds(20);

    /**
     * A server with a TLS client port (the certificate {@code server.crt}) and a plain-text one, which
     * the tests use as "a port that does not speak TLS".
     */
    interface TlsServer extends AutoCloseable {
        int tlsPort();

        int plainPort();

        @Override
        void close();

        default String httpsEndpoint() {
            return "https://127.0.0.1:" + tlsPort();
        }

        /** The TLS port without a scheme: whether TLS is used is up to the client's configuration. */
        default String tlsHostPort() {
            return "127.0.0.1:" + tlsPort();
        }

        /** The TLS port named with {@code http://}: a client that will speak plain text to it. */
        default String tlsPortAsHttp() {
            return "http://127.0.0.1:" + tlsPort();
        }

        default String plainHostPort() {
            return "127.0.0.1:" + plainPort();
        }

        default String plainEndpoint() {
            return "http://127.0.0.1:" + plainPort();
        }
    }

    /** Starts a server with {@code certs}' server certificate; with a client CA, requiring client certificates. */
    protected abstract TlsServer start(String name, TestCerts certs, Path clientCa);

    private Path dir;
    private TestCerts certs;
    private TlsServer serverTls;
    private TlsServer mutualTls;

    @BeforeAll
    void startServers() throws IOException {
        dir = Files.createTempDirectory("etcdj-tls-it");
        certs = TestCerts.create(dir);
        serverTls = start("tls", certs, null);
        mutualTls = start("mtls", certs, certs.file("ca.crt"));
    }

    @AfterAll
    void stopServers() throws IOException {
        try {
            if (serverTls != null) {
                serverTls.close();
            }
        } finally {
            try {
                if (mutualTls != null) {
                    mutualTls.close();
                }
            } finally {
                if (dir != null) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        }
    }

    private EtcdClient newClient(String endpoint, TlsConfig tls) {
        var b = EtcdClient.builder().endpoints(endpoint).dialTimeout(DIAL).requestTimeout(REQUEST);
        if (tls != null) {
            b.tls(tls);
        }
        return b.build();
    }

    // ---- what works

    @Test
    void putAndGetOverServerVerifiedTls() {
        try (EtcdClient c = newClient(serverTls.tlsHostPort(), TlsConfig.trusting(certs.file("ca.crt")))) {
            c.kv().blocking().put("/tls/a", "1");
            assertThat(c.kv().blocking().get("/tls/a").kvs()).singleElement()
                    .satisfies(kv -> assertThat(kv.value().toStringUtf8()).isEqualTo("1"));
        }
    }

    @Test
    void anHttpsEndpointSpeaksTls() {
        try (EtcdClient c = newClient(serverTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt")))) {
            c.kv().blocking().put("/tls/https", "2");
            assertThat(c.kv().blocking().get("/tls/https").kvs()).hasSize(1);
        }
    }

    @Test
    void watchAndKeepAliveOverTls() throws Exception {
        try (EtcdClient c = newClient(serverTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt")))) {
            watchAndKeepAlive(c, "/tls/stream/");
        }
    }

    @Test
    void mutualTlsPutGetWatchAndKeepAlive() throws Exception {
        TlsConfig tls = TlsConfig.mutual(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key"));
        try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), tls)) {
            c.kv().blocking().put("/mtls/a", "1");
            assertThat(c.kv().blocking().get("/mtls/a").kvs()).hasSize(1);
            watchAndKeepAlive(c, "/mtls/stream/");
        }
    }

    @Test
    void mutualTlsWithEveryPemKeyFormatEtcdUsersHave() throws Exception {
        // Besides PKCS#8 (openssl 3's default), openssl's traditional forms: SEC1 for EC, PKCS#1 for RSA.
        openssl("ec", "-in", "client.key", "-out", "client-sec1.key");
        openssl("rsa", "-in", "client-rsa.key", "-traditional", "-out", "client-pkcs1.key");
        assertThat(Files.readString(certs.file("client-sec1.key"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(Files.readString(certs.file("client-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
        for (String[] certAndKey : List.of(new String[] {"client", "client"}, new String[] {"client", "client-sec1"},
                new String[] {"client-rsa", "client-rsa"}, new String[] {"client-rsa", "client-pkcs1"})) {
            TlsConfig tls = TlsConfig.mutual(certs.file("ca.crt"), certs.file(certAndKey[0] + ".crt"),
                    certs.file(certAndKey[1] + ".key"));
            try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), tls)) {
                c.kv().blocking().put("/mtls/format", certAndKey[1]);
                assertThat(c.kv().blocking().get("/mtls/format").kvs()).singleElement()
                        .satisfies(kv -> assertThat(kv.value().toStringUtf8()).isEqualTo(certAndKey[1]));
            }
        }
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    private void putAndGet(TlsConfig tls, String value) {
        try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), tls)) {
            c.kv().blocking().put("/mtls/source", value);
            assertThat(c.kv().blocking().get("/mtls/source").kvs()).singleElement()
                    .satisfies(kv -> assertThat(kv.value().toStringUtf8()).isEqualTo(value));
        }
    }

    /**
     * Key and trust material beyond PEM files: PKCS#12 and JKS stores (files and loaded), PEM text,
     * an encrypted PKCS#8 key with its password, and JSSE factories; a wrong key password is a typed error.
     */
    @Test
    void mutualTlsWithKeyStoresPemTextEncryptedKeysAndFactories() throws Exception {
        char[] pw = "store-pw".toCharArray();
        openssl("pkcs12", "-export", "-in", "client.crt", "-inkey", "client.key", "-name", "client",
                "-out", "client-chain.p12", "-passout", "pass:store-pw");
        keytool("-importkeystore", "-srckeystore", "client-chain.p12", "-srcstoretype", "PKCS12", "-srcstorepass", "store-pw",
                "-destkeystore", "client-chain.jks", "-deststoretype", "JKS", "-deststorepass", "store-pw",
                "-destkeypass", "store-pw", "-noprompt");
        keytool("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.p12", "-storetype", "PKCS12",
                "-storepass", "store-pw", "-noprompt");
        keytool("-importcert", "-alias", "ca", "-file", "ca.crt", "-keystore", "trust.jks", "-storetype", "JKS",
                "-storepass", "store-pw", "-noprompt");
        openssl("pkcs8", "-topk8", "-in", "client.key", "-out", "client-enc.key", "-passout", "pass:key-pw");
        assertThat(Files.readString(certs.file("client-enc.key"))).contains("BEGIN ENCRYPTED PRIVATE KEY");

        putAndGet(TlsConfig.trusting(TrustSource.trustStoreFile(certs.file("trust.p12"), pw))
                .withClientKey(KeySource.keyStoreFile(certs.file("client-chain.p12"), pw)), "p12");
        putAndGet(TlsConfig.trusting(TrustSource.trustStoreFile(certs.file("trust.jks"), pw))
                .withClientKey(KeySource.keyStoreFile(certs.file("client-chain.jks"), pw)), "jks");
        putAndGet(TlsConfig.trusting(TrustSource.pem(Files.readString(certs.file("ca.crt"))))
                .withClientKey(KeySource.pem(Files.readString(certs.file("client.crt")),
                        Files.readString(certs.file("client.key")))), "pem text");
        putAndGet(TlsConfig.trusting(certs.file("ca.crt")).withClientKey(KeySource.pemFiles(certs.file("client.crt"),
                certs.file("client-enc.key"), "key-pw".toCharArray())), "encrypted pkcs8");

        java.security.KeyStore keys = java.security.KeyStore.getInstance(certs.file("client-chain.p12").toFile(), pw);
        java.security.KeyStore trust = java.security.KeyStore.getInstance(certs.file("trust.jks").toFile(), pw);
        putAndGet(TlsConfig.trusting(TrustSource.trustStore(trust)).withClientKey(KeySource.keyStore(keys, pw)), "loaded");
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, pw);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        putAndGet(TlsConfig.trusting(TrustSource.trustManagers(tmf)).withClientKey(KeySource.keyManagers(kmf)), "factories");

        assertThatThrownBy(() -> newClient(mutualTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt"))
                .withClientKey(KeySource.pemFiles(certs.file("client.crt"), certs.file("client-enc.key"), "nope".toCharArray()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong password");
        assertThatThrownBy(() -> newClient(mutualTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt"))
                .withClientKey(KeySource.pemFiles(certs.file("client.crt"), certs.file("client-enc.key")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted: give its password");
        assertThatThrownBy(() -> newClient(mutualTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt"))
                .withClientKey(KeySource.keyStoreFile(certs.file("client-chain.p12"), "wrong".toCharArray()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client-chain.p12");
    }

    /**
     * Certificate rotation without a restart: the client's PEM files are replaced (by an atomic move,
     * as cert-manager and friends do), the connection drops, and the next connection presents the new
     * certificate. Under auth, a call without a token acts as its certificate's Common Name, which shows
     * which certificate the server saw.
     */
    @Test
    void aRotatedClientCertificateIsPresentedOnTheNextConnection() throws Exception {
        TlsConfig admin = TlsConfig.mutual(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key"));
        Path crt = dir.resolve("rotating.crt");
        Path key = dir.resolve("rotating.key");
        Files.copy(certs.file("client.crt"), crt);
        Files.copy(certs.file("client.key"), key);
        try (TlsServer server = start("rotate", certs, certs.file("ca.crt"));
                dev.etcdj.testing.FaultProxy proxy = dev.etcdj.testing.FaultProxy.start("127.0.0.1", server.tlsPort())) {
            // a fresh server on a loaded machine: a longer dial than the failure cases need
            try (EtcdClient c = EtcdClient.builder().endpoints(server.httpsEndpoint()).dialTimeout(Duration.ofSeconds(15))
                    .requestTimeout(REQUEST).tls(admin).build()) {
                AuthClient auth = c.auth();
                auth.userAdd("root", "rootpw").get(10, TimeUnit.SECONDS);
                auth.userGrantRole("root", "root").get(10, TimeUnit.SECONDS);
                for (String cn : List.of("client", "client-rsa")) {
                    auth.roleAdd(cn).get(10, TimeUnit.SECONDS);
                    auth.roleGrantPermission(cn, new Permission(Permission.Type.READWRITE, Bytes.of("/rot/" + cn + "/"),
                            Bytes.of("/rot/" + cn + "0"))).get(10, TimeUnit.SECONDS);
                    auth.userAdd(cn, "unused").get(10, TimeUnit.SECONDS);
                    auth.userGrantRole(cn, cn).get(10, TimeUnit.SECONDS);
                }
                auth.enable().get(10, TimeUnit.SECONDS);
            }
            TlsConfig rotating = TlsConfig.mutual(certs.file("ca.crt"), crt, key);
            try (EtcdClient c = EtcdClient.builder().endpoints("https://127.0.0.1:" + proxy.port())
                    .dialTimeout(Duration.ofSeconds(15))
                    .requestTimeout(Duration.ofSeconds(20)).tls(rotating).build()) {
                c.kv().blocking().put("/rot/client/a", "1");
                assertThatThrownBy(() -> c.kv().blocking().put("/rot/client-rsa/a", "1"))
                        .isInstanceOf(PermissionDeniedException.class);

                Path newCrt = dir.resolve("rotating.crt.new");
                Path newKey = dir.resolve("rotating.key.new");
                Files.copy(certs.file("client-rsa.crt"), newCrt);
                Files.copy(certs.file("client-rsa.key"), newKey);
                Files.move(newKey, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.move(newCrt, crt, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                // the open connection keeps its certificate; the next one presents the new one
                proxy.dropConnections();
                dev.etcdj.testing.Await.until(Duration.ofSeconds(30), "a put as client-rsa", () -> {
                    try {
                        c.kv().blocking().put("/rot/client-rsa/a", "2");
                        return true;
                    } catch (EtcdUnavailableException e) {
                        return false; // the reconnect is still under way
                    }
                });
                assertThatThrownBy(() -> c.kv().blocking().put("/rot/client/b", "1"))
                        .isInstanceOf(PermissionDeniedException.class);
            }
        }
    }

    @Test
    void anAuthorityOverrideIsCheckedAgainstTheServerCertificate() {
        TlsConfig tls = TlsConfig.trusting(certs.file("ca.crt"));
        try (EtcdClient c = newClient(serverTls.httpsEndpoint(), tls.withAuthority("localhost"))) {
            c.kv().blocking().put("/tls/authority", "1");
            assertThat(c.kv().blocking().get("/tls/authority").kvs()).hasSize(1);
        }
        try (EtcdClient c = newClient(serverTls.httpsEndpoint(), tls.withAuthority("not-in-the-cert.test"))) {
            assertThat(failure(c).error()).isInstanceOf(EtcdUnavailableException.class);
        }
    }

    /**
     * With secure discovery the domain is the server name checked, as etcdctl's: the certificate
     * (localhost and 127.0.0.1) is accepted when found under {@code localhost}, and refused when found
     * under a domain it does not name, although the address DNS gave is in it. Insecure discovery
     * (etcdctl's default) checks the address.
     */
    @Test
    void secureDiscoveryChecksTheDomainAsTheServerName() throws IOException {
        TlsConfig tls = TlsConfig.trusting(certs.file("ca.crt"));
        try (LoopbackDns dns = LoopbackDns.start()) {
            dns.address("m1.example.test", "127.0.0.1")
                    .srv("_etcd-client-ssl._tcp.localhost", 0, 0, serverTls.tlsPort(), "m1.example.test")
                    .srv("_etcd-client-ssl._tcp.example.test", 0, 0, serverTls.tlsPort(), "m1.example.test");
            try (EtcdClient c = discovered(dns, "localhost", false, tls)) {
                assertThat(c.config().tls().flatMap(TlsConfig::authority)).contains("localhost");
                c.kv().blocking().put("/tls/discovered", "1");
                assertThat(c.kv().blocking().get("/tls/discovered").kvs()).hasSize(1);
            }
            try (EtcdClient c = discovered(dns, "example.test", false, tls)) {
                assertThat(c.endpoints()).containsExactly("https://127.0.0.1:" + serverTls.tlsPort());
                assertThat(failure(c).error()).isInstanceOf(EtcdUnavailableException.class);
            }
            try (EtcdClient c = discovered(dns, "example.test", true, tls)) {
                assertThat(c.config().tls().flatMap(TlsConfig::authority)).isEmpty();
                assertThat(c.kv().blocking().get("/tls/discovered").kvs()).hasSize(1);
            }
        }
    }

    private static EtcdClient discovered(LoopbackDns dns, String domain, boolean insecure, TlsConfig tls) {
        return EtcdClient.builder().discoverySrv(domain).dnsServer(dns.address()).insecureDiscovery(insecure)
                .tls(tls).dialTimeout(DIAL).requestTimeout(REQUEST).build();
    }

    /**
     * The client's JSSE context carries its certificate: plain HTTP clients read {@code /metrics} of a
     * member that requires client certificates with it, and without one the handshake is refused.
     */
    @Test
    void theClientsSslContextReadsMetricsOfAMemberThatRequiresClientCertificates() throws Exception {
        URI metrics = URI.create(mutualTls.httpsEndpoint() + "/metrics");
        TlsConfig tls = TlsConfig.mutual(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key"));
        try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), tls)) {
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(c.sslContext().orElseThrow()).build()
                    .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("process_resident_memory_bytes");
        }
        try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt")))) {
            HttpClient noCert = HttpClient.newBuilder().sslContext(c.sslContext().orElseThrow()).build();
            assertThatThrownBy(() -> noCert.send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
        try (EtcdClient c = newClient(serverTls.tlsPortAsHttp(), null)) {
            assertThat(c.sslContext()).isEmpty();
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAServerCertificateFromAnUntrustedCa() {
        // Trusting the other CA alone, the server's certificate is refused (see below); skipping verification accepts it.
        TlsConfig tls = TlsConfig.mutual(certs.file("otherca.crt"), certs.file("client.crt"), certs.file("client.key"));
        try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), tls.withInsecureSkipVerify())) {
            c.kv().blocking().put("/mtls/insecure", "1");
            assertThat(c.kv().blocking().get("/mtls/insecure").kvs()).hasSize(1);
        }
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }

    /**
     * HTTP/1.1 and gRPC on the same mutual-TLS port, as etcd's cmux serves them: /health and a JSON
     * gateway put over HTTPS, the value then read over gRPC; no client certificate, no HTTP answer.
     */
    @Test
    void httpAndGrpcShareTheTlsPort() throws Exception {
        java.net.http.HttpClient http = HttpTls.client(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key"));
        java.net.http.HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(mutualTls.httpsEndpoint() + "/health")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"health\":\"true\"}");
        java.net.http.HttpResponse<String> put = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(mutualTls.httpsEndpoint() + "/v3/kv/put"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"key\":\"L2h0dHBz\",\"value\":\"b2s=\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        TlsConfig tls = TlsConfig.mutual(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key"));
        try (EtcdClient c = newClient(mutualTls.httpsEndpoint(), tls)) {
            assertThat(c.kv().blocking().get("/https").kvs()).singleElement()
                    .satisfies(kv -> assertThat(kv.value().toStringUtf8()).isEqualTo("ok"));
        }
        java.net.http.HttpClient anonymous = HttpTls.client(certs.file("ca.crt"), null, null);
        assertThatThrownBy(() -> anonymous.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(mutualTls.httpsEndpoint() + "/health")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    /** A prefix watch sees three puts in order; a 2 s lease is renewed at least twice and stays alive. */
    private static void watchAndKeepAlive(EtcdClient c, String pfx) throws Exception {
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        long start = c.kv().blocking().get("/").header().revision() + 1;
        try (Watcher w = c.watch().watch(pfx, r -> {
            events.addAll(r.events());
            r.events().forEach(e -> three.countDown());
        }, prefix(), dev.etcdj.client.Options.revision(start))) {
            for (int i = 0; i < 3; i++) {
                c.kv().blocking().put(pfx + i, "v" + i);
            }
            assertThat(three.await(10, TimeUnit.SECONDS)).as("three watch events over TLS").isTrue();
            assertThat(events).extracting(e -> e.kv().key().toStringUtf8())
                    .containsExactly(pfx + 0, pfx + 1, pfx + 2);
        }

        long lease = c.lease().grant(2).get(REQUEST.toSeconds(), TimeUnit.SECONDS).leaseId();
        CountDownLatch renewals = new CountDownLatch(2);
        try (KeepAlive ka = c.lease().keepAlive(lease, new KeepAliveListener() {
            @Override
            public void onRenewed(LeaseKeepAliveResponse response) {
                renewals.countDown();
            }
        })) {
            assertThat(renewals.await(10, TimeUnit.SECONDS)).as("two renewals over TLS").isTrue();
            assertThat(ka.terminated()).isNotDone();
            assertThat(c.lease().timeToLive(lease, false).get(REQUEST.toSeconds(), TimeUnit.SECONDS).ttl())
                    .isPositive();
        }
    }

    /**
     * etcd's client certificate auth: with auth enabled, a call that carries no token acts as the
     * user named by the certificate's Common Name ("client" here); a token, when sent, still wins.
     */
    @Test
    void underAuthACallWithoutATokenActsAsItsCertificatesCommonName() throws Exception {
        TlsConfig mutual = TlsConfig.mutual(certs.file("ca.crt"), certs.file("client.crt"), certs.file("client.key"));
        try (TlsServer server = start("cn", certs, certs.file("ca.crt"))) {
            try (EtcdClient admin = newClient(server.httpsEndpoint(), mutual)) {
                AuthClient auth = admin.auth();
                auth.userAdd("root", "rootpw").get(10, TimeUnit.SECONDS);
                auth.userGrantRole("root", "root").get(10, TimeUnit.SECONDS);
                auth.roleAdd("cn-writer").get(10, TimeUnit.SECONDS);
                auth.roleGrantPermission("cn-writer", new Permission(Permission.Type.READWRITE, Bytes.of("/cn/"),
                        Bytes.of("/cn0"))).get(10, TimeUnit.SECONDS);
                auth.userAdd("client", "unused").get(10, TimeUnit.SECONDS);
                auth.userGrantRole("client", "cn-writer").get(10, TimeUnit.SECONDS);
                auth.enable().get(10, TimeUnit.SECONDS);
            }
            try (EtcdClient byCertificate = newClient(server.httpsEndpoint(), mutual)) {
                byCertificate.kv().blocking().put("/cn/a", "1");
                assertThat(byCertificate.kv().blocking().get("/cn/a").kvs()).hasSize(1);
                assertThatThrownBy(() -> byCertificate.kv().blocking().put("/elsewhere", "x"))
                        .isInstanceOf(PermissionDeniedException.class);
                assertThatThrownBy(() -> byCertificate.auth().disable().get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(PermissionDeniedException.class);
            }
            try (EtcdClient root = EtcdClient.builder().endpoints(server.httpsEndpoint()).dialTimeout(DIAL)
                    .requestTimeout(REQUEST).tls(mutual).credentials("root", "rootpw").build()) {
                root.kv().blocking().put("/elsewhere", "by root");
                assertThat(root.kv().blocking().get("/elsewhere").kvs()).hasSize(1);
            }
        }
    }

    // ---- what fails, and how clearly

    @Test
    void aServerCertificateFromAnotherCaIsRefusedNamingTheCertificate() {
        assertRefused(serverTls.httpsEndpoint(), TlsConfig.trusting(certs.file("otherca.crt")),
                m -> m.contains(serverTls.httpsEndpoint()).containsIgnoringCase("certificate"));
    }

    @Test
    void anHttpsEndpointWithoutACaUsesTheJvmTrustStoreAndRefusesATestCa() {
        assertRefused(serverTls.httpsEndpoint(), null, m -> m.containsIgnoringCase("certificate"));
    }

    @Test
    void aMissingClientCertificateIsRefusedWhenTheServerRequiresOne() {
        assertRefused(mutualTls.httpsEndpoint(), TlsConfig.trusting(certs.file("ca.crt")),
                m -> m.containsIgnoringCase("certificate"));
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() {
        TlsConfig tls = TlsConfig.mutual(certs.file("ca.crt"), certs.file("stranger.crt"), certs.file("stranger.key"));
        assertRefused(mutualTls.httpsEndpoint(), tls, m -> m.containsIgnoringCase("certificate"));
    }

    @Test
    void aPlainTextClientToATlsPortIsToldItNeedsTls() {
        assertRefused(serverTls.tlsPortAsHttp(), null,
                m -> m.contains(serverTls.tlsPortAsHttp()).containsIgnoringCase("TLS"));
    }

    @Test
    void aTlsClientToAPlainTextPortIsToldTheHandshakeFailed() {
        assertRefused(serverTls.plainHostPort(), TlsConfig.trusting(certs.file("ca.crt")),
                m -> m.contains(serverTls.plainHostPort())
                        .matches(t -> t.toLowerCase().contains("tls") || t.toLowerCase().contains("handshake")
                                || t.toLowerCase().contains("ssl"), "names TLS, SSL or the handshake"));
    }

    /**
     * A client with this TLS setup is refused as every TLS mismatch is: unavailable, with a message
     * that {@code says} checks, within the dial timeout (a TLS problem is not transient).
     */
    private void assertRefused(String endpoint, TlsConfig tls, Consumer<AbstractStringAssert<?>> says) {
        try (EtcdClient c = newClient(endpoint, tls)) {
            Failure f = failure(c);
            assertThat(f.error()).isInstanceOf(EtcdUnavailableException.class);
            says.accept(assertThat(f.message()));
            f.cameWithinTheDialTimeout();
        }
    }

    /** A lease on the server, granted over its plain-text port. */
    private static long lease(TlsServer server, long ttl) throws Exception {
        try (EtcdClient plain = EtcdClient.builder().endpoints(server.plainEndpoint()).build()) {
            return plain.lease().grant(ttl).get(STREAM_WAIT.toSeconds(), TimeUnit.SECONDS).leaseId();
        }
    }

    /** The terminal errors a watch and a keep-alive of {@code lease} hear from a client with this TLS setup. */
    private EtcdException[] streamErrors(String endpoint, TlsConfig tls, long lease) throws Exception {
        CompletableFuture<EtcdException> watchError = new CompletableFuture<>();
        CompletableFuture<EtcdException> keepAliveError = new CompletableFuture<>();
        try (EtcdClient c = newClient(endpoint, tls)) {
            c.watch().watch("/streams/tls", new WatchListener() {
                @Override
                public void onNext(WatchResponse response) {
                    watchError.completeExceptionally(new AssertionError("no response expected"));
                }

                @Override
                public void onError(EtcdException error) {
                    watchError.complete(error);
                }
            });
            c.lease().keepAlive(lease, new KeepAliveListener() {
                @Override
                public void onError(EtcdException error) {
                    keepAliveError.complete(error);
                }
            });
            return new EtcdException[] {
                watchError.get(STREAM_WAIT.toSeconds(), TimeUnit.SECONDS), keepAliveError.get(STREAM_WAIT.toSeconds(), TimeUnit.SECONDS)};
        }
    }

    /** What a unary call with the same setup says. */
    private String unaryMessage(String endpoint, TlsConfig tls) {
        try (EtcdClient c = newClient(endpoint, tls)) {
            Throwable t = catchThrowable(() -> c.kv().blocking().get("/streams/tls"));
            assertThat(t).isInstanceOf(EtcdUnavailableException.class);
            return t.getMessage();
        }
    }

    // ---- watch and keep-alive streams that cannot get through TLS: a certificate problem is not
    // retried forever in silence; the listeners hear it at once, in the words unary calls use.

    @Test
    void anUntrustedServerCertificateEndsWatchAndKeepAliveAtOnceInTheWordsOfUnaryCalls() throws Exception {
        long lease = lease(serverTls, 60);
        TlsConfig wrongCa = TlsConfig.trusting(certs.file("otherca.crt"));
        long start = System.nanoTime();
        EtcdException[] errors = streamErrors(serverTls.httpsEndpoint(), wrongCa, lease);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not after the lease's 60 s deadline")
                .isLessThan(STREAM_WAIT);
        String unary = unaryMessage(serverTls.httpsEndpoint(), wrongCa);
        for (EtcdException e : errors) {
            assertThat(e).isInstanceOf(EtcdUnavailableException.class);
            assertThat(e.getMessage())
                    .startsWith("etcdj: could not connect to [" + serverTls.httpsEndpoint() + "]: TLS handshake with "
                            + serverTls.httpsEndpoint() + " failed: the server's certificate is not trusted")
                    .isEqualTo(unary);
        }
    }

    @Test
    void aMissingClientCertificateEndsWatchAndKeepAliveAtOnce() throws Exception {
        long lease = lease(mutualTls, 60);
        TlsConfig noCertificate = TlsConfig.trusting(certs.file("ca.crt"));
        EtcdException[] errors = streamErrors(mutualTls.httpsEndpoint(), noCertificate, lease);
        String unary = unaryMessage(mutualTls.httpsEndpoint(), noCertificate);
        for (EtcdException e : errors) {
            assertThat(e).isInstanceOf(EtcdUnavailableException.class);
            assertThat(e.getMessage()).contains("the server requires a client certificate and none is configured")
                    .isEqualTo(unary);
        }
    }

    @Test
    void plainTextToATlsPortIsRetriedAndAKeepAliveThatRunsOutSaysWhy() throws Exception {
        // Not a certificate problem (the port may be reconfigured), so not permanent: the lease
        // runs out, and its error says what kept the stream from connecting.
        long lease = lease(serverTls, 2);
        CompletableFuture<EtcdException> error = new CompletableFuture<>();
        try (EtcdClient c = newClient(serverTls.tlsPortAsHttp(), null)) {
            c.lease().keepAlive(lease, new KeepAliveListener() {
                @Override
                public void onError(EtcdException e) {
                    error.complete(e);
                }
            });
            EtcdException e = error.get(STREAM_WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e.getMessage()).startsWith("etcdj: lease " + lease + " could not be renewed before its deadline: "
                            + "etcdj: could not connect to [" + serverTls.tlsPortAsHttp() + "]: ")
                    .contains("does the endpoint want TLS (https://)?");
        }
    }

    /** A call's failure and how long it took. */
    private record Failure(EtcdException error, long millis) {
        String message() {
            return String.valueOf(error.getMessage());
        }

        /** Last, after the message checks: a TLS problem is not transient, the dial timeout bounds it. */
        void cameWithinTheDialTimeout() {
            assertThat(millis).as("fails within the dial timeout, not the request timeout")
                    .isLessThan(DIAL.toMillis() + 1500);
        }
    }

    /** The failure of a get, which the client retries (it is a read) until the dial timeout. */
    private static Failure failure(EtcdClient c) {
        long start = System.nanoTime();
        Throwable t = catchThrowable(() -> c.kv().blocking().get("/tls/probe"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = t == null ? null : t.getCause(); cause != null; cause = cause.getCause()) {
            causes.append("\n    caused by ").append(cause.getClass().getName()).append(": ").append(cause.getMessage());
        }
        // The whole chain, so a report can tell what the client knew and did not say.
        System.out.println("TLS failure after " + ms + " ms: " + (t == null ? "none" : t.getClass().getName()
                + ": " + t.getMessage()) + causes);
        assertThat(t).as("the call must fail").isInstanceOf(EtcdException.class);
        return new Failure((EtcdException) t, ms);
    }
}
