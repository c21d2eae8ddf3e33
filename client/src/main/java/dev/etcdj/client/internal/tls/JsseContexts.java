package dev.etcdj.client.internal.tls;

import dev.etcdj.client.TlsConfig;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** Plain JSSE contexts from a client's {@link TlsConfig}, for HTTP requests to the same members. */
public final class JsseContexts {

    private JsseContexts() {}

    public static SSLContext of(TlsConfig tls) {
        KeyManager[] keys = tls.effectiveKey().map(k -> new KeyManager[] {KeyMaterials.keyManager(k)}).orElse(null);
        TrustManager[] trust = tls.insecureSkipVerify() ? new TrustManager[] {new AnyServer()}
                : tls.effectiveTrust().map(t -> new TrustManager[] {TrustMaterials.trustManager(t)}).orElse(null);
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("etcdj: invalid TLS configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts every server certificate and host name, as Go's {@code InsecureSkipVerify}. An extended
     * trust manager, so that JSSE does not add its own host name check on top.
     */
    private static final class AnyServer extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            refuse();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            refuse();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Every server is accepted: that is what insecureSkipVerify asks for.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // As above.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // As above.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        /** A client's context judges servers only: any client certificate put to it is refused. */
        private static void refuse() throws CertificateException {
            throw new CertificateException("etcdj: a client's TLS context does not accept client certificates");
        }
    }
}
