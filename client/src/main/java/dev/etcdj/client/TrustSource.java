package dev.etcdj.client;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The certificate authorities the client trusts for the server's certificate ({@link
 * TlsConfig#trusting(TrustSource)}). A source only holds what it was given; the client reads it
 * when it connects (see {@link Reader}). File sources are re-read when a file changes, so a rotated
 * CA bundle is used for the next new connection without a restart; a file that cannot be read then
 * keeps the previous CAs in use (and is logged). Unreadable or invalid material fails the client's
 * build with {@link IllegalArgumentException}.
 */
public final class TrustSource {

    /**
     * Turns each kind of source into the trust manager the client's TLS uses: one method per
     * factory of {@link TrustSource}. The client's implementation parses PEM and trust stores and
     * reloads files when they change; each method throws {@link IllegalArgumentException} for
     * unreadable or invalid material.
     */
    public interface Reader {
        X509ExtendedTrustManager pemFile(Path caFile);

        X509ExtendedTrustManager pem(String caPem);

        X509ExtendedTrustManager trustStoreFile(Path file, char[] password);

        X509ExtendedTrustManager trustStore(KeyStore store);

        X509ExtendedTrustManager trustManagers(TrustManagerFactory factory);
    }

    private final String description;
    private final Function<Reader, X509ExtendedTrustManager> read;

    private TrustSource(String description, Function<Reader, X509ExtendedTrustManager> read) {
        this.description = Objects.requireNonNull(description);
        this.read = read;
    }

    /** A PEM file of one or more CA certificates, reloaded on change. */
    public static TrustSource pemFile(Path caFile) {
        return new TrustSource("PEM file " + Objects.requireNonNull(caFile), r -> r.pemFile(caFile));
    }

    /** PEM text of one or more CA certificates. */
    public static TrustSource pem(String caPem) {
        Objects.requireNonNull(caPem);
        return new TrustSource("PEM text", r -> r.pem(caPem));
    }

    /** A trust store file, PKCS#12 or JKS (told apart by content); every certificate in it is trusted. Reloaded on change. */
    public static TrustSource trustStoreFile(Path file, char[] password) {
        char[] pw = password == null ? null : password.clone();
        return new TrustSource("trust store " + Objects.requireNonNull(file), r -> r.trustStoreFile(file, pw));
    }

    /** A loaded trust store. */
    public static TrustSource trustStore(KeyStore store) {
        Objects.requireNonNull(store);
        return new TrustSource("trust store", r -> r.trustStore(store));
    }

    /** An initialized trust manager factory, used as it is. */
    public static TrustSource trustManagers(TrustManagerFactory factory) {
        return new TrustSource("trust manager factory " + factory.getAlgorithm(), r -> r.trustManagers(factory));
    }

    /**
     * The trust manager {@code reader} makes of this source (reading files as needed).
     *
     * @throws IllegalArgumentException for unreadable or invalid material
     */
    public X509ExtendedTrustManager read(Reader reader) {
        return read.apply(reader);
    }

    @Override
    public String toString() {
        return "TrustSource[" + description + "]";
    }
}
