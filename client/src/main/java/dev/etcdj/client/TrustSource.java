package dev.etcdj.client;

import dev.etcdj.client.internal.tls.TrustMaterials;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities the client trusts for the server's certificate ({@link
 * TlsConfig#trusting(TrustSource)}). File sources are re-read when a file changes, so a rotated CA
 * bundle is used for the next new connection without a restart; a file that cannot be read then
 * keeps the previous CAs in use (and is logged).
 */
public final class TrustSource {
    private final String description;
    private final Supplier<X509ExtendedTrustManager> factory;

    private TrustSource(String description, Supplier<X509ExtendedTrustManager> factory) {
        this.description = description;
        this.factory = factory;
    }

    /** A PEM file of one or more CA certificates, reloaded on change. */
    public static TrustSource pemFile(Path caFile) {
        Objects.requireNonNull(caFile);
        return new TrustSource("PEM file " + caFile, () -> TrustMaterials.reloadingPemFile(caFile));
    }

    /** PEM text of one or more CA certificates. */
    public static TrustSource pem(String caPem) {
        Objects.requireNonNull(caPem);
        TrustMaterials.pem(caPem, "the PEM text"); // fail fast on bad input
        return new TrustSource("PEM text", () -> TrustMaterials.pem(caPem, "the PEM text"));
    }

    /** A trust store file, PKCS#12 or JKS (told apart by content); every certificate in it is trusted. Reloaded on change. */
    public static TrustSource trustStoreFile(Path file, char[] password) {
        Objects.requireNonNull(file);
        char[] pw = password == null ? null : password.clone();
        return new TrustSource("trust store " + file, () -> TrustMaterials.reloadingStoreFile(file, pw));
    }

    /** A loaded trust store. */
    public static TrustSource trustStore(KeyStore store) {
        Objects.requireNonNull(store);
        return new TrustSource("trust store", () -> TrustMaterials.fromStore(store));
    }

    /** An initialized trust manager factory, used as it is. */
    public static TrustSource trustManagers(TrustManagerFactory factory) {
        Objects.requireNonNull(factory);
        return new TrustSource("trust manager factory " + factory.getAlgorithm(), () -> TrustMaterials.fromFactory(factory));
    }

    /**
     * The trust manager the client's TLS uses, built now (reading files as needed).
     *
     * @throws IllegalArgumentException for unreadable or invalid material
     */
    public X509ExtendedTrustManager trustManager() {
        return factory.get();
    }

    @Override
    public String toString() {
        return "TrustSource[" + description + "]";
    }
}
