package dev.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the builder's TLS settings meet the listen URLs, as in etcd: https needs a certificate,
 * http stays plain text even when one is configured. Serving TLS itself is proven with etcdctl and
 * etcdj against {@code etcdj serve} next to a real etcd (cli's TlsParityIT, which has the certificates).
 */
class TlsConfigTest {

    private static final Path NO_FILE = Path.of("/nonexistent/etcdj-test.pem");

    @Test
    void httpsWithoutACertificateIsRefusedInEtcdsWords() {
        try (EtcdServer s = EtcdServer.builder().inMemory().listenClientUrls(List.of("https://127.0.0.1:0")).build()) {
            assertThatThrownBy(s::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TLS key/cert (--cert-file, --key-file) must be provided for client url "
                            + "https://127.0.0.1:0 with HTTPS scheme");
            assertThat(s.endpoints()).isEmpty();
        }
    }

    @Test
    void clientCertAuthNeedsTheServersOwnCertificate() {
        assertThatThrownBy(() -> EtcdServer.builder().inMemory().clientCertAuth(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the server's own certificate");
        assertThatThrownBy(() -> EtcdServer.builder().inMemory().trustedCaFile(NO_FILE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the server's own certificate");
    }

    @Test
    void anUnreadableKeyFailsTheStartWithTheFileName() {
        try (EtcdServer s = EtcdServer.builder().inMemory().listenClientUrls(List.of("https://127.0.0.1:0"))
                .tls(NO_FILE, NO_FILE).build()) {
            assertThatThrownBy(s::start).hasMessageContaining("cannot read TLS files").hasMessageContaining(NO_FILE.toString());
        }
    }

    @Test
    void httpUrlsServePlainTextEvenWithACertificate() {
        try (EtcdServer s = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0"))
                .tls(NO_FILE, NO_FILE).trustedCaFile(NO_FILE).clientCertAuth(true).build()) {
            s.start();
            assertThat(s.endpoint()).startsWith("http://127.0.0.1:");
            ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", URI.create(s.endpoint()).getPort())
                    .usePlaintext().build();
            try {
                HealthCheckResponse r = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            } finally {
                ch.shutdownNow();
            }
        }
    }
}
