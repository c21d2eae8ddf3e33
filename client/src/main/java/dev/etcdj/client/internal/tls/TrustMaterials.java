package dev.etcdj.client.internal.tls;

import dev.etcdj.client.TrustSource;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The CAs the client trusts, as JSSE trust managers: how the client reads a {@link TrustSource}. */
public final class TrustMaterials implements TrustSource.Reader {
    private static final TrustMaterials READER = new TrustMaterials();

    private TrustMaterials() {
    }

    /** The trust manager of {@code source}; throws IllegalArgumentException for unreadable or invalid material. */
    public static X509ExtendedTrustManager trustManager(TrustSource source) {
        return source.read(READER);
    }

    @Override
    public X509ExtendedTrustManager pem(String pem) {
        return pem(pem, "the PEM text");
    }

    private X509ExtendedTrustManager pem(String pem, String source) {
        List<Certificate> cas = Pem.certificates(pem, source);
        KeyStore ks = Pem.emptyStore();
        Pem.orInvalid("cannot use the CA certificates in " + source, () -> {
            for (int i = 0; i < cas.size(); i++) {
                ks.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return ks;
        });
        return trustStore(ks);
    }

    @Override
    public X509ExtendedTrustManager pemFile(Path file) {
        return new ReloadingTrustManager(new Reloading<>(List.of(file), () -> pem(Pem.read(file), file.toString())));
    }

    @Override
    public X509ExtendedTrustManager trustStoreFile(Path file, char[] password) {
        return new ReloadingTrustManager(new Reloading<>(List.of(file), () -> trustStore(Pem.keyStore(file, password))));
    }

    @Override
    public X509ExtendedTrustManager trustStore(KeyStore store) {
        return trustManagers(Pem.orInvalid("cannot use the trust store", () -> {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            return f;
        }));
    }

    @Override
    public X509ExtendedTrustManager trustManagers(TrustManagerFactory factory) {
        return Pem.first(factory.getTrustManagers(), X509ExtendedTrustManager.class, "trust manager");
    }

    /** Checks server certificates against the CAs of the moment, looking first whether the files changed. */
    private static final class ReloadingTrustManager extends X509ExtendedTrustManager implements FileBacked {
        private final Reloading<X509ExtendedTrustManager> material;

        @Override
        public long generation() {
            return material.generation();
        }

        ReloadingTrustManager(Reloading<X509ExtendedTrustManager> material) {
            this.material = material;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            material.refresh().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            material.refresh().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            material.refresh().checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            material.refresh().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            material.refresh().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            material.refresh().checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return material.current().getAcceptedIssuers();
        }
    }
}
