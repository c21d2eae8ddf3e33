package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.handler.codec.DecoderException;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The cause chains grpc-java hands us for failed connections (as seen against etcd 3.4 in
 * tls/TlsIT), and what the client makes of them.
 */
class ConnectFailureTest {

    private static final String EP = "https://127.0.0.1:2379";

    private static Throwable unavailable(String description, Throwable cause) {
        // As the future of a unary call fails: ExecutionException around the status exception.
        return new ExecutionException(Status.UNAVAILABLE.withDescription(description).withCause(cause).asRuntimeException());
    }

    private static <T extends Throwable> T causedBy(T t, Throwable cause) {
        t.initCause(cause);
        return t;
    }

    @Test
    void anUnknownCaIsTheServersCertificateNotBeingTrusted() {
        Throwable pkix = causedBy(new SSLHandshakeException("General OpenSslEngine problem"),
                new CertificateException("PKIX path building failed: unable to find valid certification path",
                        new CertPathBuilderException("unable to find valid certification path to requested target")));
        ConnectFailure f = ConnectFailure.of(unavailable("io exception\nChannel Pipeline: [SslHandler#0]", pkix),
                EP, true, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.SERVER_CERTIFICATE);
        assertThat(f.certificate()).isTrue();
        assertThat(f.message()).startsWith("TLS handshake with " + EP + " failed: the server's certificate is not trusted")
                .contains("PKIX path building failed").doesNotContain("Channel Pipeline");
    }

    @Test
    void aCertificateForAnotherNameSaysSo() {
        Throwable mismatch = causedBy(new SSLHandshakeException("General OpenSslEngine problem"),
                new CertificateException("No subject alternative names matching IP address 127.0.0.1 found"));
        ConnectFailure f = ConnectFailure.of(unavailable("io exception", mismatch), EP, true, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.SERVER_CERTIFICATE);
        assertThat(f.message()).contains("does not name the host").contains("127.0.0.1");
    }

    @Test
    void aBadCertificateAlertIsTheServerRejectingOurClientCertificate() {
        String alert = "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE";
        Throwable chain = new DecoderException(new SSLException(alert));
        ConnectFailure withCert = ConnectFailure.of(unavailable("ssl exception", chain), EP, true, true, true);
        assertThat(withCert.kind()).isEqualTo(ConnectFailure.Kind.CLIENT_CERTIFICATE);
        assertThat(withCert.certificate()).isTrue();
        assertThat(withCert.message()).contains("the server rejected our client certificate (bad certificate)");
        ConnectFailure without = ConnectFailure.of(unavailable("ssl exception", chain), EP, true, false, true);
        assertThat(without.message()).contains("requires a client certificate and none is configured");
    }

    @Test
    void theJdkProvidersAlertTextIsReadToo() {
        Throwable chain = new SSLHandshakeException("Received fatal alert: certificate_required");
        ConnectFailure f = ConnectFailure.of(unavailable("io exception", chain), EP, true, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.CLIENT_CERTIFICATE);
        assertThat(f.message()).contains("(certificate required)");
    }

    @Test
    void aServerClosingDuringTheHandshakeIsProbablyPlainText() {
        Throwable closed = unavailable("Connection closed while performing TLS negotiation\nChannel Pipeline: [...]",
                new ClosedChannelException());
        ConnectFailure f = ConnectFailure.of(closed, "127.0.0.1:2379", true, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.SERVER_NOT_TLS);
        assertThat(f.certificate()).isFalse();
        assertThat(f.message()).contains("closed the connection during the TLS handshake").contains("plain http");
    }

    @Test
    void aReplyThatIsNoTlsRecordIsAPlainTextServer() {
        Throwable chain = new DecoderException(new NotSslRecordException("not an SSL/TLS record: 485454502f"));
        ConnectFailure f = ConnectFailure.of(unavailable("io exception", chain), EP, true, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.SERVER_NOT_TLS);
        assertThat(f.message()).contains("did not speak TLS");
    }

    @Test
    void aPlainTextConnectionClosedBeforeHttp2AsksWhetherTheEndpointWantsTls() {
        Throwable closed = unavailable("Network closed for unknown reason", null);
        ConnectFailure f = ConnectFailure.of(closed, "http://127.0.0.1:2379", false, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.CLIENT_NOT_TLS);
        assertThat(f.message()).contains("http://127.0.0.1:2379").contains("TLS (https://)");
        // Once a stream was open, the connection had worked: a closed one says nothing about TLS.
        assertThat(ConnectFailure.of(closed, "http://127.0.0.1:2379", false, false, true)).isNull();
    }

    @Test
    void otherHandshakeFailuresNameTheirRootCause() {
        Throwable chain = new SSLHandshakeException("handshake timed out");
        ConnectFailure f = ConnectFailure.of(unavailable("io exception", chain), EP, true, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.TLS_HANDSHAKE);
        assertThat(f.certificate()).isFalse();
        assertThat(f.message()).isEqualTo("TLS handshake with " + EP + " failed: handshake timed out");
    }

    @Test
    void aRefusedConnectionSaysRefused() {
        Throwable refused = unavailable("io exception", new ConnectException("Connection refused: /127.0.0.1:2379"));
        ConnectFailure f = ConnectFailure.of(refused, "127.0.0.1:2379", false, false, false);
        assertThat(f.kind()).isEqualTo(ConnectFailure.Kind.REFUSED);
        assertThat(f.message()).isEqualTo("127.0.0.1:2379 refused the connection (Connection refused: /127.0.0.1:2379)");
    }

    @Test
    void aServersAnswerIsNoConnectFailure() {
        Throwable noLeader = Status.UNAVAILABLE.withDescription("etcdserver: no leader").asRuntimeException();
        assertThat(ConnectFailure.of(noLeader, EP, true, true, true)).isNull();
        assertThat(ConnectFailure.of(unavailable("io exception", null), "127.0.0.1:1", false, false, false)).isNull();
    }
}
