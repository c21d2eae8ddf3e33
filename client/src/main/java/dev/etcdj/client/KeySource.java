package dev.etcdj.client;

import dev.etcdj.client.internal.tls.KeyMaterials;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Where the client's own certificate and private key come from, for mutual TLS ({@link
 * TlsConfig#withClientKey}). File sources are re-read when a file changes (its modification time or
 * size), so a rotated certificate is presented on the next new connection without a restart; a file
 * that cannot be read then keeps the previous material in use (and is logged).
 */
public final class KeySource {
    private final String description;
    private final Supplier<X509ExtendedKeyManager> factory;

    private KeySource(String description, Supplier<X509ExtendedKeyManager> factory) {
        this.description = description;
        this.factory = factory;
    }

    /** PEM files: a certificate chain, and a private key (PKCS#8, PKCS#1 RSA or SEC1 EC), reloaded on change. */
    public static KeySource pemFiles(Path certChain, Path privateKey) {
        return pemFiles(certChain, privateKey, null);
    }

    /** PEM files with an encrypted PKCS#8 key ({@code BEGIN ENCRYPTED PRIVATE KEY}), reloaded on change. */
    public static KeySource pemFiles(Path certChain, Path privateKey, char[] keyPassword) {
        Objects.requireNonNull(certChain);
        Objects.requireNonNull(privateKey);
        char[] pw = copy(keyPassword);
        return new KeySource("PEM files " + certChain + ", " + privateKey,
                () -> KeyMaterials.reloadingPemFiles(certChain, privateKey, pw));
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
        KeyMaterials.pemKeyManager(certChainPem, privateKeyPem, pw, "the PEM text"); // fail fast on bad input
        return new KeySource("PEM text", () -> KeyMaterials.pemKeyManager(certChainPem, privateKeyPem, pw, "the PEM text"));
    }

    /**
     * A key store file, PKCS#12 or JKS (told apart by content), whose key entry (keys protected by the
     * store's password) is presented; reloaded on change.
     */
    public static KeySource keyStoreFile(Path file, char[] password) {
        Objects.requireNonNull(file);
        char[] pw = copy(Objects.requireNonNull(password));
        return new KeySource("key store " + file, () -> KeyMaterials.reloadingKeyStoreFile(file, pw));
    }

    /** A loaded key store whose keys are protected by {@code password}. */
    public static KeySource keyStore(KeyStore store, char[] password) {
        Objects.requireNonNull(store);
        char[] pw = copy(Objects.requireNonNull(password));
        return new KeySource("key store", () -> KeyMaterials.fromKeyStore(store, pw));
    }

    /** An initialized key manager factory, used as it is (for key material from an HSM, a vault, ...). */
    public static KeySource keyManagers(KeyManagerFactory factory) {
        Objects.requireNonNull(factory);
        return new KeySource("key manager factory " + factory.getAlgorithm(), () -> KeyMaterials.fromFactory(factory));
    }

    /**
     * The key manager the client's TLS uses, built now (reading files as needed).
     *
     * @throws IllegalArgumentException for unreadable or invalid material
     */
    public X509ExtendedKeyManager keyManager() {
        return factory.get();
    }

    private static char[] copy(char[] pw) {
        return pw == null ? null : pw.clone();
    }

    @Override
    public String toString() {
        return "KeySource[" + description + "]";
    }
}
