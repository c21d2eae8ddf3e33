package dev.etcdj.server.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Immutable settings handed from the public builder to the internals. dataDir null = in-memory. */
public record ServerConfig(String name, Path dataDir, List<String> listenClientUrls,
        List<String> advertiseClientUrls, List<String> peerUrls, int maxTxnOps, int maxRequestBytes,
        long quotaBackendBytes, Duration autoCompactionRetention, Duration progressNotifyInterval) {
}
