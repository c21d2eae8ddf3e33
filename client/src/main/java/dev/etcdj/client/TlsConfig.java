package dev.etcdj.client;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS settings: the CA that signs the server's certificate (or the JVM's default trust store when
 * absent), and for mutual TLS the client's certificate chain and private key (PEM files, like
 * etcdctl's --cacert, --cert and --key). {@code authority} overrides the host name checked against
 * the server's certificate.
 *
 * <p>Beyond PEM files, {@link #trusting(TrustSource)} and {@link #withClientKey(KeySource)} take key
 * and trust material from PEM text, encrypted PKCS#8 keys, PKCS#12/JKS stores (files or loaded
 * {@link java.security.KeyStore}s) or JSSE key/trust manager factories. Material read from files
 * (the PEM paths here included) is re-read when a file changes: a rotated certificate is used for
 * the next new connection without restarting the client.
 */
public record TlsConfig(Optional<Path> trustedCa, Optional<Path> certChain, Optional<Path> privateKey,
                        Optional<String> authority, boolean insecureSkipVerify, Optional<TrustSource> trustSource,
                        Optional<KeySource> keySource) {

    public TlsConfig {
        if (certChain.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its private key, and the other way round");
        }
        if (trustedCa.isPresent() && trustSource.isPresent()) {
            throw new IllegalArgumentException("give the trusted CAs once: a CA file or a trust source");
        }
        if (certChain.isPresent() && keySource.isPresent()) {
            throw new IllegalArgumentException("give the client certificate once: PEM files or a key source");
        }
    }

    /** The PEM-file settings alone (etcdctl's flags). */
    public TlsConfig(Optional<Path> trustedCa, Optional<Path> certChain, Optional<Path> privateKey,
                     Optional<String> authority, boolean insecureSkipVerify) {
        this(trustedCa, certChain, privateKey, authority, insecureSkipVerify, Optional.empty(), Optional.empty());
    }

    /** Verify the server with this CA; no client certificate. */
    public static TlsConfig trusting(Path caFile) {
        return new TlsConfig(Optional.of(caFile), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** Verify the server with these CAs; no client certificate (add one with {@link #withClientKey}). */
    public static TlsConfig trusting(TrustSource trust) {
        return new TlsConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.of(trust), Optional.empty());
    }

    /** Verify the server with the JVM's default trust store; add a client certificate with {@link #withClientKey}. */
    public static TlsConfig jvmTrust() {
        return new TlsConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** Mutual TLS: verify the server with this CA, present this certificate and key. */
    public static TlsConfig mutual(Path caFile, Path certFile, Path keyFile) {
        return new TlsConfig(Optional.of(caFile), Optional.of(certFile), Optional.of(keyFile), Optional.empty(), false);
    }

    /** Presents this certificate and key (mutual TLS), in place of any PEM files given before. */
    public TlsConfig withClientKey(KeySource key) {
        return new TlsConfig(trustedCa, Optional.empty(), Optional.empty(), authority, insecureSkipVerify, trustSource,
                Optional.of(key));
    }

    public TlsConfig withAuthority(String authority) {
        return new TlsConfig(trustedCa, certChain, privateKey, Optional.of(authority), insecureSkipVerify, trustSource,
                keySource);
    }

    /** Accept any server certificate (etcdctl's --insecure-skip-tls-verify): for tests only. */
    public TlsConfig withInsecureSkipVerify() {
        return new TlsConfig(trustedCa, certChain, privateKey, authority, true, trustSource, keySource);
    }

    /** Whether a client certificate is presented (mutual TLS). */
    public boolean hasClientCertificate() {
        return certChain.isPresent() || keySource.isPresent();
    }

    /** Where the trusted CAs come from: the trust source, else the CA file; empty for the JVM's trust store. */
    public Optional<TrustSource> effectiveTrust() {
        return trustSource.isPresent() ? trustSource : trustedCa.map(TrustSource::pemFile);
    }

    /** Where the client certificate comes from: the key source, else the PEM files; empty for none. */
    public Optional<KeySource> effectiveKey() {
        return keySource.isPresent() ? keySource : certChain.map(c -> KeySource.pemFiles(c, privateKey.orElseThrow()));
    }
}
