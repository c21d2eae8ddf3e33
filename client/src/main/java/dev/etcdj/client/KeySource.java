package dev.etcdj.client;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Where the client's own certificate and private key come from, for mutual TLS ({@link
 * TlsConfig#withClientKey}). A source only holds what it was given; the client reads it when it
 * connects (see {@link Reader}). File sources are re-read when a file changes (its modification
 * time or size), so a rotated certificate is presented on the next new connection without a
 * restart; a file that cannot be read then keeps the previous material in use (and is logged).
 * Unreadable or invalid material fails the client's build with {@link IllegalArgumentException}.
 */
public final class KeySource {

    /**
     * Turns each kind of source into the key manager the client's TLS uses: one method per factory
     * of {@link KeySource}. The client's implementation parses PEM and key stores and reloads files
     * when they change; each method throws {@link IllegalArgumentException} for unreadable or
     * invalid material.
     */
    public interface Reader {
        X509ExtendedKeyManager pemFiles(Path certChain, Path privateKey, char[] keyPassword);

        X509ExtendedKeyManager pem(String certChainPem, String privateKeyPem, char[] keyPassword);

        X509ExtendedKeyManager keyStoreFile(Path file, char[] password);

        X509ExtendedKeyManager keyStore(KeyStore store, char[] password);

        X509ExtendedKeyManager keyManagers(KeyManagerFactory factory);
    }

    private final String description;
    private final Function<Reader, X509ExtendedKeyManager> read;

    private KeySource(String description, Function<Reader, X509ExtendedKeyManager> read) {
        this.description = description;
        this.read = read;
    }

    /** PEM files: a certificate chain, and a private key (PKCS#8, PKCS#1 RSA or SEC1 EC), reloaded on change. */
    public static KeySource pemFiles(Path certChain, Path privateKey) {
        return pemFiles(certChain, privateKey, null);
    }

    /** PEM files with an encrypted PKCS#8 key ({@code BEGIN ENCRYPTED PRIVATE KEY}), reloaded on change. */
    public static KeySource pemFiles(Path certChain, Path privateKey, char[] keyPassword) {
        char[] pw = copy(keyPassword);
        return new KeySource("PEM files " + Objects.requireNonNull(certChain) + ", " + Objects.requireNonNull(privateKey),
                r -> r.pemFiles(certChain, privateKey, pw));
    }

    /** PEM text: a certificate chain and a private key (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    public static KeySource pem(String certChainPem, String privateKeyPem) {
        return pem(certChainPem, privateKeyPem, null);
    }

    /** PEM text with an encrypted PKCS#8 key. */
    public static KeySource pem(String certChainPem, String privateKeyPem, char[] keyPassword) {
        Objects.requireNonNull(certChainPem);
        Objects.requireNonNull(privateKeyPem);
        char[] pw = copy(keyPassword);
        return new KeySource("PEM text", r -> r.pem(certChainPem, privateKeyPem, pw));
    }

    /**
     * A key store file, PKCS#12 or JKS (told apart by content), whose key entry (keys protected by the
     * store's password) is presented; reloaded on change.
     */
    public static KeySource keyStoreFile(Path file, char[] password) {
        char[] pw = copy(Objects.requireNonNull(password));
        return new KeySource("key store " + Objects.requireNonNull(file), r -> r.keyStoreFile(file, pw));
    }

    /** A loaded key store whose keys are protected by {@code password}. */
    public static KeySource keyStore(KeyStore store, char[] password) {
        Objects.requireNonNull(store);
        char[] pw = copy(Objects.requireNonNull(password));
        return new KeySource("key store", r -> r.keyStore(store, pw));
    }

    /** An initialized key manager factory, used as it is (for key material from an HSM, a vault, ...). */
    public static KeySource keyManagers(KeyManagerFactory factory) {
        return new KeySource("key manager factory " + factory.getAlgorithm(), r -> r.keyManagers(factory));
    }

    /**
     * The key manager {@code reader} makes of this source (reading files as needed).
     *
     * @throws IllegalArgumentException for unreadable or invalid material
     */
    public X509ExtendedKeyManager read(Reader reader) {
        return read.apply(reader);
    }

    private static char[] copy(char[] pw) {
        return pw == null ? null : pw.clone();
    }

    @Override
    public String toString() {
        return "KeySource[" + description + "]";
    }
}
