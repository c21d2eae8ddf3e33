package dev.etcdj.server.internal.tls;

import dev.etcdj.server.internal.ServerConfig;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client listeners' TLS, set up as etcd 3.4's embed does: the certificate files given, or with
 * auto TLS one made at start ({@link SelfSignedCert}, which then replaces every other client TLS
 * setting, as in etcd); client certificates verified by {@link ClientCertChecks} when required.
 */
public final class ServerSsl {

    private static final Logger LOG = LoggerFactory.getLogger("etcdj.embed.ServerSsl");
    /** The TLS 1.3 suites, which Go (and so etcd) always offers, whatever --cipher-suites lists. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private final ServerConfig.Tls tls;
    private final SelfSignedCert.Generated inMemory;
    private SslContext context;
    private ClientCertChecks clientChecks;

    private ServerSsl(ServerConfig.Tls tls, SelfSignedCert.Generated inMemory) {
        this.tls = tls;
        this.inMemory = inMemory;
    }

    /**
     * Resolves the certificate (making the auto TLS one now, as etcd does before it binds, whatever the
     * URL schemes) and logs etcd's "starting with client TLS" line.
     */
    public static ServerSsl prepare(ServerConfig.Tls given, List<String> listenClientUrls) {
        ServerConfig.Tls tls = given;
        SelfSignedCert.Generated generated = null;
        if (given.auto() != null) {
            if (given.auto().dir() != null) {
                SelfSignedCert.CertFiles f = SelfSignedCert.ensure(given.auto().dir(), listenClientUrls);
                tls = new ServerConfig.Tls(f.cert(), f.key(), null, false, given.cipherSuites(), null, null, given.auto());
            } else {
                try {
                    generated = SelfSignedCert.generate(SelfSignedCert.hosts(listenClientUrls));
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("cannot generate the auto TLS certificate: " + e.getMessage(), e);
                }
                tls = new ServerConfig.Tls(null, null, null, false, given.cipherSuites(), null, null, given.auto());
            }
        }
        LOG.atInfo().addKeyValue("tls-info", info(tls)).addKeyValue("cipher-suites", tls.cipherSuites())
                .log("starting with client TLS");
        return new ServerSsl(tls, generated);
    }

    /** etcd's TLSInfo.String(). */
    private static String info(ServerConfig.Tls t) {
        return "cert = " + str(t.certFile()) + ", key = " + str(t.keyFile()) + ", trusted-ca = " + str(t.trustedCaFile())
                + ", client-cert-auth = " + t.clientCertAuth() + ", crl-file = " + str(t.crlFile());
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /**
     * The Netty context for https:// listeners, made on first use. With certificate files, it follows
     * them ({@link ReloadingSslContext}): a replaced pair serves new connections, as in etcd. The
     * trusted CA file is read once, here, as etcd reads it once at start.
     *
     * @throws IllegalArgumentException when the key, certificate or CA files are not valid
     * @throws UncheckedIOException when they cannot be read
     */
    public synchronized SslContext context() {
        if (context == null) {
            try {
                if (tls.requiresClientCertificates()) {
                    clientChecks = ClientCertChecks.create(tls.trustedCaFile(), tls.allowedHostname(), tls.crlFile());
                }
                context = inMemory != null ? build(inMemory.key(), inMemory.cert())
                        : ReloadingSslContext.create(tls.certFile(), tls.keyFile(), this::build);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid TLS key/cert: " + e.getMessage(), e);
            } catch (SSLException e) {
                // An IOException, but it says the files were read and are wrong.
                throw new IllegalArgumentException("invalid TLS key/cert: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read TLS files: " + e.getMessage(), e);
            }
        }
        return context;
    }

    /** A context for one key pair; every other setting is the same for all. */
    private SslContext build(PrivateKey key, X509Certificate... chain) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(key, chain);
        if (clientChecks != null) {
            b.clientAuth(ClientAuth.REQUIRE);
            b.trustManager(clientChecks);
        }
        // ALPN: HTTP/1.1 first, so a client offering both (curl, browsers) gets the HTTP/1.1 side of
        // the port while gRPC clients, which offer only h2, get gRPC, as from etcd.
        GrpcSslContexts.configure(b).applicationProtocolConfig(new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                "http/1.1", "h2"));
        if (!tls.cipherSuites().isEmpty()) {
            // etcd's --cipher-suites, which (as Go's list) is for TLS 1.2: TLS 1.3 keeps its own suites.
            List<String> ciphers = new java.util.ArrayList<>(tls.cipherSuites());
            ciphers.addAll(TLS13_SUITES);
            b.ciphers(ciphers);
        }
        return b.build();
    }
}
