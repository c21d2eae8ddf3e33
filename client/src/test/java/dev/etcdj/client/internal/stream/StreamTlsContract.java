package dev.etcdj.client.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Watch and keep-alive streams that cannot get through TLS. A certificate problem is not retried
 * forever in silence: the listeners hear it at once, in the words unary calls use; a problem that
 * may go away (plain text against a TLS port) is retried, and a keep-alive that runs out says
 * what kept it from connecting. One subclass per target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StreamTlsContract {

    static final Duration T = Duration.ofSeconds(20);

    /** A server with a TLS client port ({@code server.crt}) and a plain-text one. */
    record TlsServer(int tlsPort, int plainPort, AutoCloseable process) implements AutoCloseable {
        String httpsEndpoint() {
            return "https://127.0.0.1:" + tlsPort;
        }

        String tlsPortAsHttp() {
            return "http://127.0.0.1:" + tlsPort;
        }

        String plainEndpoint() {
            return "http://127.0.0.1:" + plainPort;
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }

    /** Starts a server with {@code certs}' server certificate; with a client CA, requiring client certificates. */
    abstract TlsServer start(String name, TestCerts certs, Path clientCa);

    private Path dir;
    private TestCerts certs;
    private TlsServer serverTls;
    private TlsServer mutualTls;

    @BeforeAll
    void startServers() throws IOException {
        dir = Files.createTempDirectory("etcdj-stream-tls");
        certs = TestCerts.create(dir);
        serverTls = start("stream-tls", certs, null);
        mutualTls = start("stream-mtls", certs, certs.file("ca.crt"));
    }

    @AfterAll
    void stopServers() throws Exception {
        try (TlsServer a = serverTls; TlsServer b = mutualTls) {
            // both closed, even when one fails
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

    /** A lease on the server, granted over its plain-text port. */
    static long lease(TlsServer server, long ttl) throws Exception {
        try (EtcdClient plain = EtcdClient.builder().endpoints(server.plainEndpoint()).build()) {
            return plain.lease().grant(ttl).get(T.toSeconds(), TimeUnit.SECONDS).leaseId();
        }
    }

    static EtcdClient client(String endpoint, TlsConfig tls) {
        var b = EtcdClient.builder().endpoints(endpoint).dialTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            b.tls(tls);
        }
        return b.build();
    }

    /** The terminal errors a watch and a keep-alive of {@code lease} hear from a client with this TLS setup. */
    static EtcdException[] streamErrors(String endpoint, TlsConfig tls, long lease) throws Exception {
        CompletableFuture<EtcdException> watchError = new CompletableFuture<>();
        CompletableFuture<EtcdException> keepAliveError = new CompletableFuture<>();
        try (EtcdClient c = client(endpoint, tls)) {
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
                watchError.get(T.toSeconds(), TimeUnit.SECONDS), keepAliveError.get(T.toSeconds(), TimeUnit.SECONDS)};
        }
    }

    /** What a unary call with the same setup says. */
    static String unaryMessage(String endpoint, TlsConfig tls) {
        try (EtcdClient c = client(endpoint, tls)) {
            Throwable t = catchThrowable(() -> c.kv().blocking().get("/streams/tls"));
            assertThat(t).isInstanceOf(EtcdUnavailableException.class);
            return t.getMessage();
        }
    }

    @Test
    void anUntrustedServerCertificateEndsWatchAndKeepAliveAtOnceInTheWordsOfUnaryCalls() throws Exception {
        long lease = lease(serverTls, 60);
        TlsConfig wrongCa = TlsConfig.trusting(certs.file("otherca.crt"));
        long start = System.nanoTime();
        EtcdException[] errors = streamErrors(serverTls.httpsEndpoint(), wrongCa, lease);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not after the lease's 60 s deadline")
                .isLessThan(T);
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
        try (EtcdClient c = client(serverTls.tlsPortAsHttp(), null)) {
            c.lease().keepAlive(lease, new KeepAliveListener() {
                @Override
                public void onError(EtcdException e) {
                    error.complete(e);
                }
            });
            EtcdException e = error.get(T.toSeconds(), TimeUnit.SECONDS);
            assertThat(e.getMessage()).startsWith("etcdj: lease " + lease + " could not be renewed before its deadline: "
                            + "etcdj: could not connect to [" + serverTls.tlsPortAsHttp() + "]: ")
                    .contains("does the endpoint want TLS (https://)?");
        }
    }
}
