package dev.etcdj.server.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Immutable settings handed from the public builder to the internals. dataDir null = in-memory;
 * tls null = no certificate, so https:// listen URLs are refused.
 */
public record ServerConfig(String name, Path dataDir, List<String> listenClientUrls,
        List<String> listenMetricsUrls, List<String> advertiseClientUrls, List<String> peerUrls, int maxTxnOps, int maxRequestBytes,
        long quotaBackendBytes, Duration autoCompactionRetention, Duration progressNotifyInterval, Tls tls) {

    /**
     * etcd's client TLS flags. Client certificates are required when clientCertAuth is set or a trusted
     * CA is given (etcd 3.4 does the same); they are then verified against trustedCaFile, or the JDK's
     * default trust store when it is null. Only clientCertAuth makes a certificate's Common Name a user.
     */
    public record Tls(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {
        public boolean requiresClientCertificates() {
            return clientCertAuth || trustedCaFile != null;
        }
    }
}
