package dev.etcdj.client;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS settings: the CA that signs the server's certificate (or the JVM's default trust store when
 * absent), and for mutual TLS the client's certificate chain and private key (PEM files, like
 * etcdctl's --cacert, --cert and --key). {@code authority} overrides the host name checked against
 * the server's certificate.
 */
public record TlsConfig(Optional<Path> trustedCa, Optional<Path> certChain, Optional<Path> privateKey,
                        Optional<String> authority, boolean insecureSkipVerify) {

    public TlsConfig {
        if (certChain.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its private key, and the other way round");
        }
    }

    /** Verify the server with this CA; no client certificate. */
    public static TlsConfig trusting(Path caFile) {
        return new TlsConfig(Optional.of(caFile), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** Mutual TLS: verify the server with this CA, present this certificate and key. */
    public static TlsConfig mutual(Path caFile, Path certFile, Path keyFile) {
        return new TlsConfig(Optional.of(caFile), Optional.of(certFile), Optional.of(keyFile), Optional.empty(), false);
    }

    public TlsConfig withAuthority(String authority) {
        return new TlsConfig(trustedCa, certChain, privateKey, Optional.of(authority), insecureSkipVerify);
    }

    /** Accept any server certificate (etcdctl's --insecure-skip-tls-verify): for tests only. */
    public TlsConfig withInsecureSkipVerify() {
        return new TlsConfig(trustedCa, certChain, privateKey, authority, true);
    }
}
