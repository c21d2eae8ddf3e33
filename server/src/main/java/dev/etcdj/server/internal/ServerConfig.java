package dev.etcdj.server.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Immutable settings handed from the public builder to the internals. dataDir null = in-memory;
 * tls null = no certificate, so https:// listen URLs are refused.
 */
public record ServerConfig(String name, Path dataDir, List<String> listenClientUrls,
        List<String> listenMetricsUrls, List<String> advertiseClientUrls, List<String> peerUrls, int maxTxnOps,
        int maxRequestBytes,
        long quotaBackendBytes, Duration autoCompactionRetention, Duration progressNotifyInterval, Tls tls,
        long autoCompactionRevisions, Grpc grpc, Auth auth) {

    /**
     * etcd's {@code --auth-token} ("simple" or "jwt,..." with its options) and {@code --auth-token-ttl} for
     * simple tokens in seconds (0: the {@code etcdj.authTokenTtl} property, else etcd's 300), and
     * {@code --bcrypt-cost} for password hashes (etcd's default 10).
     */
    public record Auth(String token, long tokenTtlSeconds, int bcryptCost) {
        public static final Auth DEFAULTS = new Auth("simple", 0, 10);
    }

    /**
     * etcd's gRPC server options: keep-alive enforcement and pings, and streams per connection; and
     * etcdj's budget of request bytes in flight (0: derived from the memory limits, see
     * {@code rpc.InflightRequestBytes}).
     */
    public record Grpc(Duration keepAliveMinTime, Duration keepAliveInterval, Duration keepAliveTimeout,
            long maxConcurrentStreams, long maxRequestBytesInFlight) {
        /** etcd 3.4's defaults: 5s, 2h, 20s, math.MaxUint32; the derived budget. */
        public static final Grpc DEFAULTS = new Grpc(Duration.ofSeconds(5), Duration.ofHours(2), Duration.ofSeconds(20),
                0xFFFF_FFFFL, 0);
    }

    /** The same configuration on another storage directory (a restored snapshot, a temp dir). */
    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(name, dir, listenClientUrls, listenMetricsUrls, advertiseClientUrls, peerUrls,
                maxTxnOps, maxRequestBytes, quotaBackendBytes, autoCompactionRetention, progressNotifyInterval, tls,
                autoCompactionRevisions, grpc, auth);
    }

    /**
     * etcd's client TLS flags. Client certificates are required when clientCertAuth is set or a trusted
     * CA is given (etcd 3.4 does the same); they are then verified against trustedCaFile, or the JDK's
     * default trust store when it is null, then against allowedHostname and the crlFile when given (null
     * when not). Only clientCertAuth makes a certificate's Common Name a user. autoTlsDir (etcd's
     * {@code --auto-tls}) replaces certFile and keyFile with a certificate made at start (in that
     * directory; in memory for an in-memory server, where it is a directory that is never written).
     */
    public record Tls(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth, List<String> cipherSuites,
            Path crlFile, String allowedHostname, AutoTls auto) {
        public boolean requiresClientCertificates() {
            return clientCertAuth || trustedCaFile != null;
        }
    }

    /** etcd's {@code --auto-tls}: a self-signed certificate for the listen URLs' hosts, kept in dir (null: in memory). */
    public record AutoTls(Path dir) {}
}
