package dev.etcdj.cli.serve;

import dev.etcdj.cli.serve.Flag.Kind;
import dev.etcdj.cli.serve.Flag.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every flag etcd 3.4.23's {@code etcd} accepts (etcdmain/config.go), in its help's order, with what
 * {@code etcdj serve} does with each. {@code docs/serve-flags.md} is this table (a test keeps them equal).
 */
final class EtcdFlags {

    private static final String PEERS = "only concerns peers: etcdj serves no peer traffic";
    private static final String RAFT = "only concerns raft: a single etcdj member has no raft";
    private static final String FILES = "concerns etcd's WAL/snapshot/bbolt files: etcdj stores its data in RocksDB";
    private static final String V2PROXY = "only concerns the v2 proxy (--proxy), which is refused";
    private static final String DISCOVERY = "discovery bootstraps a cluster of several members: etcdj serve runs one member";

    static final Map<String, Flag> ALL;

    static {
        List<Flag> l = new ArrayList<>();
        String g = "Member";
        l.add(f(g, "name", Kind.STRING, "default", Status.IMPLEMENTED, "Human-readable name for this member.", ""));
        l.add(f(g, "data-dir", Kind.STRING, "", Status.IMPLEMENTED, "Path to the data directory (default '${name}.etcd').", ""));
        l.add(f(g, "wal-dir", Kind.STRING, "", Status.NO_OP, "Path to the dedicated wal directory.",
                "etcdj keeps its write-ahead log (RocksDB's) inside --data-dir"));
        l.add(f(g, "snapshot-count", Kind.UINT64, "100000", Status.NO_OP, "Number of committed transactions to trigger a snapshot to disk.", RAFT));
        l.add(f(g, "heartbeat-interval", Kind.UINT, "100", Status.NO_OP, "Time (in milliseconds) of a heartbeat interval.", RAFT + " (validated as etcd does)"));
        l.add(f(g, "election-timeout", Kind.UINT, "1000", Status.NO_OP, "Time (in milliseconds) for an election to timeout.", RAFT + " (validated as etcd does)"));
        l.add(f(g, "initial-election-tick-advance", Kind.BOOL, "true", Status.NO_OP, "Whether to fast-forward initial election ticks on boot for faster election.", RAFT));
        l.add(f(g, "listen-peer-urls", Kind.URLS, "http://localhost:2380", Status.NO_OP, "List of URLs to listen on for peer traffic.", PEERS + " (validated as etcd does)"));
        l.add(f(g, "listen-client-urls", Kind.URLS, "http://localhost:2379", Status.IMPLEMENTED, "List of URLs to listen on for client traffic.", ""));
        l.add(f(g, "max-snapshots", Kind.UINT, "5", Status.NO_OP, "Maximum number of snapshot files to retain (0 is unlimited).", FILES));
        l.add(f(g, "max-wals", Kind.UINT, "5", Status.NO_OP, "Maximum number of wal files to retain (0 is unlimited).", FILES));
        l.add(f(g, "quota-backend-bytes", Kind.INT64, "0", Status.IMPLEMENTED, "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).", ""));
        l.add(f(g, "backend-batch-interval", Kind.DURATION, "0s", Status.NO_OP, "BackendBatchInterval is the maximum time before commit the backend transaction.",
                "etcdj commits every write batch at once, durably (group commit)"));
        l.add(f(g, "backend-batch-limit", Kind.INT, "0", Status.NO_OP, "BackendBatchLimit is the maximum operations before commit the backend transaction.",
                "etcdj commits every write batch at once, durably (group commit)"));
        l.add(f(g, "max-txn-ops", Kind.UINT, "128", Status.IMPLEMENTED, "Maximum number of operations permitted in a transaction.", ""));
        l.add(f(g, "max-request-bytes", Kind.UINT, "1572864", Status.IMPLEMENTED, "Maximum client request size in bytes the server will accept.", ""));
        l.add(f(g, "max-concurrent-streams", Kind.UINT32, "4294967295", Status.IMPLEMENTED, "Maximum concurrent streams that each client can open at a time.", ""));
        l.add(f(g, "grpc-keepalive-min-time", Kind.DURATION, "5s", Status.IMPLEMENTED, "Minimum duration interval that a client should wait before pinging server.", ""));
        l.add(f(g, "grpc-keepalive-interval", Kind.DURATION, "2h0m0s", Status.IMPLEMENTED, "Frequency duration of server-to-client ping to check if a connection is alive (0 to disable).", ""));
        l.add(f(g, "grpc-keepalive-timeout", Kind.DURATION, "20s", Status.IMPLEMENTED, "Additional duration of wait before closing a non-responsive connection (0 to disable).", ""));

        g = "Clustering";
        l.add(f(g, "initial-advertise-peer-urls", Kind.URLS, "http://localhost:2380", Status.IMPLEMENTED, "List of this member's peer URLs to advertise to the rest of the cluster.",
                "reported by member list; checked against --initial-cluster as etcd does"));
        l.add(f(g, "initial-cluster", Kind.STRING, "default=http://localhost:2380", Status.IMPLEMENTED, "Initial cluster configuration for bootstrapping.",
                "must name this member only (more members are refused: etcdj serve runs one); checked as etcd does on a new data dir"));
        l.add(choice(g, "initial-cluster-state", "new", List.of("new", "existing"), Status.IMPLEMENTED, "Initial cluster state ('new' or 'existing').",
                "'existing' is refused on a new data dir (joining a cluster needs its other members); ignored on an existing one, as etcd does"));
        l.add(f(g, "initial-cluster-token", Kind.STRING, "etcd-cluster", Status.NO_OP, "Initial cluster token for the etcd cluster during bootstrap.",
                "keeps peers of different clusters apart: etcdj has no peers"));
        l.add(f(g, "advertise-client-urls", Kind.URLS, "http://localhost:2379", Status.IMPLEMENTED, "List of this member's client URLs to advertise to the public.", ""));
        l.add(f(g, "discovery", Kind.STRING, "", Status.REFUSED, "Discovery URL used to bootstrap the cluster.", DISCOVERY));
        l.add(choice(g, "discovery-fallback", "proxy", List.of("proxy", "exit"), Status.NO_OP, "Expected behavior ('exit' or 'proxy') when discovery services fails.",
                "only used with --discovery, which is refused"));
        l.add(f(g, "discovery-proxy", Kind.STRING, "", Status.NO_OP, "HTTP proxy to use for traffic to discovery service.", "only used with --discovery, which is refused"));
        l.add(f(g, "discovery-srv", Kind.STRING, "", Status.REFUSED, "DNS srv domain used to bootstrap the cluster.", DISCOVERY));
        l.add(f(g, "discovery-srv-name", Kind.STRING, "", Status.NO_OP, "Suffix to the dns srv name queried when bootstrapping.", "only used with --discovery-srv, which is refused"));
        l.add(f(g, "strict-reconfig-check", Kind.BOOL, "true", Status.NO_OP, "Reject reconfiguration requests that would cause quorum loss.",
                "etcdj always refuses a membership change that would lose quorum"));
        l.add(f(g, "pre-vote", Kind.BOOL, "false", Status.NO_OP, "Enable to run an additional Raft election phase.", RAFT));
        l.add(f(g, "auto-compaction-retention", Kind.STRING, "0", Status.IMPLEMENTED, "Auto compaction retention length. 0 means disable auto compaction.", ""));
        l.add(f(g, "auto-compaction-mode", Kind.STRING, "periodic", Status.IMPLEMENTED, "Interpret 'auto-compaction-retention' one of: periodic|revision.", ""));
        l.add(f(g, "enable-v2", Kind.BOOL, "false", Status.REFUSED, "Accept etcd V2 client requests.", "etcdj serves the v3 API only"));

        g = "Security";
        l.add(f(g, "cert-file", Kind.STRING, "", Status.IMPLEMENTED, "Path to the client server TLS cert file.",
                "read again for each new TLS connection when it changed on disk (as etcd, so rotated certificates serve without "
                        + "a restart; open connections keep theirs); while the new pair is unusable (half written, key not "
                        + "matching) the last good one serves, where etcd fails the handshakes"));
        l.add(f(g, "key-file", Kind.STRING, "", Status.IMPLEMENTED, "Path to the client server TLS key file.",
                "read again with --cert-file when either changes"));
        l.add(f(g, "client-cert-auth", Kind.BOOL, "false", Status.IMPLEMENTED, "Enable client cert authentication.", ""));
        l.add(f(g, "client-crl-file", Kind.STRING, "", Status.IMPLEMENTED, "Path to the client certificate revocation list file.",
                "PEM or DER, read at each TLS connection; a revoked client certificate fails the handshake (etcd closes the connection just after it)"));
        l.add(f(g, "client-cert-allowed-hostname", Kind.STRING, "", Status.IMPLEMENTED, "Allowed TLS hostname for client cert authentication.",
                "matched against the client certificate's SANs by Go's rules (not its CN)"));
        l.add(f(g, "trusted-ca-file", Kind.STRING, "", Status.IMPLEMENTED, "Path to the client server TLS trusted CA cert file.",
                "read once at start, as etcd does: a changed CA file needs a restart"));
        l.add(f(g, "auto-tls", Kind.BOOL, "false", Status.IMPLEMENTED, "Client TLS using generated certificates.",
                "etcd's self-signed certificate (ECDSA P-521, one year, the listen URLs' hosts) in the data dir, under fixtures/client"));
        l.add(f(g, "peer-cert-file", Kind.STRING, "", Status.NO_OP, "Path to the peer server TLS cert file.", PEERS));
        l.add(f(g, "peer-key-file", Kind.STRING, "", Status.NO_OP, "Path to the peer server TLS key file.", PEERS));
        l.add(f(g, "peer-client-cert-auth", Kind.BOOL, "false", Status.NO_OP, "Enable peer client cert authentication.", PEERS));
        l.add(f(g, "peer-trusted-ca-file", Kind.STRING, "", Status.NO_OP, "Path to the peer server TLS trusted CA file.", PEERS));
        l.add(f(g, "peer-cert-allowed-cn", Kind.STRING, "", Status.NO_OP, "Required CN for client certs connecting to the peer endpoint.", PEERS));
        l.add(f(g, "peer-cert-allowed-hostname", Kind.STRING, "", Status.NO_OP, "Allowed TLS hostname for inter peer authentication.", PEERS));
        l.add(f(g, "peer-auto-tls", Kind.BOOL, "false", Status.NO_OP, "Peer TLS using self-generated certificates if --peer-key-file and --peer-cert-file are not provided.", PEERS));
        l.add(f(g, "peer-crl-file", Kind.STRING, "", Status.NO_OP, "Path to the peer certificate revocation list file.", PEERS));
        l.add(f(g, "cipher-suites", Kind.CSV, "", Status.IMPLEMENTED, "Comma-separated list of supported TLS cipher suites between client/server and peers (empty will be auto-populated by Go).",
                "IANA names as Go takes them; used for the client listeners"));
        l.add(f(g, "cors", Kind.URLS, "*", Status.NO_OP, "Comma-separated whitelist of origins for CORS, or cross-origin resource sharing, (empty or * means allow all).",
                "etcdj's HTTP endpoints send no CORS headers"));
        l.add(f(g, "host-whitelist", Kind.STRINGS, "*", Status.NO_OP, "Acceptable hostnames from HTTP client requests, if server is not secure (empty or * means allow all).",
                "etcdj's HTTP endpoints accept every Host"));

        g = "Auth";
        l.add(f(g, "auth-token", Kind.STRING, "simple", Status.IMPLEMENTED, "Specify a v3 authentication token type and its options ('simple' or 'jwt').", ""));
        l.add(f(g, "bcrypt-cost", Kind.UINT, "10", Status.IMPLEMENTED, "Specify the cost / strength of the bcrypt algorithm for hashing auth passwords. Valid values are between 4 and 31.", ""));
        l.add(f(g, "auth-token-ttl", Kind.UINT, "300", Status.IMPLEMENTED, "Time (in seconds) of the auth-token-ttl.", ""));

        g = "Profiling and Monitoring";
        l.add(f(g, "enable-pprof", Kind.BOOL, "false", Status.NO_OP, "Enable runtime profiling data via HTTP server. Address is at client URL + \"/debug/pprof/\"",
                "Go's profiler: profile the JVM with JFR instead"));
        l.add(f(g, "metrics", Kind.STRING, "basic", Status.NO_OP, "Set level of detail for exported metrics, specify 'extensive' to include histogram metrics.",
                "etcdj exports one set of metrics"));
        l.add(f(g, "listen-metrics-urls", Kind.URLS, "", Status.IMPLEMENTED, "List of URLs to listen on for the metrics and health endpoints.", ""));

        g = "Logging";
        l.add(f(g, "logger", Kind.STRING, "capnslog", Status.IMPLEMENTED, "Specify 'zap' for structured logging or 'capnslog'.", ""));
        l.add(f(g, "log-outputs", Kind.STRINGS, "default", Status.IMPLEMENTED, "Specify 'stdout' or 'stderr' to skip journald logging even when running under systemd, or list of comma separated output targets.",
                "'default' and 'systemd/journal' write to stderr"));
        l.add(f(g, "log-level", Kind.STRING, "info", Status.IMPLEMENTED, "Configures log level. Only supports debug, info, warn, error, panic, or fatal.", ""));

        g = "v2 Proxy (to be deprecated in v4)";
        l.add(choice(g, "proxy", "off", List.of("off", "readonly", "on"), Status.REFUSED, "Proxy mode setting ('off', 'readonly' or 'on').", "the v2 proxy needs the v2 API and other members"));
        l.add(f(g, "proxy-failure-wait", Kind.UINT, "5000", Status.NO_OP, "Time (in milliseconds) an endpoint will be held in a failed state.", V2PROXY));
        l.add(f(g, "proxy-refresh-interval", Kind.UINT, "30000", Status.NO_OP, "Time (in milliseconds) of the endpoints refresh interval.", V2PROXY));
        l.add(f(g, "proxy-dial-timeout", Kind.UINT, "1000", Status.NO_OP, "Time (in milliseconds) for a dial to timeout.", V2PROXY));
        l.add(f(g, "proxy-write-timeout", Kind.UINT, "5000", Status.NO_OP, "Time (in milliseconds) for a write to timeout.", V2PROXY));
        l.add(f(g, "proxy-read-timeout", Kind.UINT, "0", Status.NO_OP, "Time (in milliseconds) for a read to timeout.", V2PROXY));

        g = "Experimental feature";
        l.add(f(g, "experimental-initial-corrupt-check", Kind.BOOL, "false", Status.NO_OP, "Enable to check data corruption before serving any client/peer traffic.",
                "compares hashes with peers: a single member has none"));
        l.add(f(g, "experimental-corrupt-check-time", Kind.DURATION, "0s", Status.NO_OP, "Duration of time between cluster corruption check passes.",
                "compares hashes with peers: a single member has none"));
        l.add(f(g, "experimental-enable-v2v3", Kind.STRING, "", Status.REFUSED, "Serve v2 requests through the v3 backend under a given prefix.", "etcdj serves the v3 API only"));
        l.add(f(g, "experimental-backend-bbolt-freelist-type", Kind.STRING, "array", Status.NO_OP, "ExperimentalBackendFreelistType specifies the type of freelist that boltdb backend uses(array and map are supported types).", FILES));
        l.add(f(g, "experimental-enable-lease-checkpoint", Kind.BOOL, "false", Status.NO_OP, "ExperimentalEnableLeaseCheckpoint enables primary lessor to persist lease remainingTTL to prevent indefinite auto-renewal of long lived leases.",
                "etcdj always checkpoints and persists remaining lease TTLs"));
        l.add(f(g, "experimental-compaction-batch-limit", Kind.INT, "1000", Status.NO_OP, "ExperimentalCompactionBatchLimit sets the maximum revisions deleted in each compaction batch.",
                "etcdj compacts in RocksDB range deletes"));
        l.add(f(g, "experimental-peer-skip-client-san-verification", Kind.BOOL, "false", Status.NO_OP, "Skip verification of SAN field in client certificate for peer connections.", PEERS));
        l.add(f(g, "experimental-watch-progress-notify-interval", Kind.DURATION, "10m0s", Status.IMPLEMENTED, "Duration of periodical watch progress notification.", ""));
        l.add(f(g, "experimental-warning-apply-duration", Kind.DURATION, "100ms", Status.NO_OP, "Warning is generated if requests take more than this duration.",
                "etcdj logs no slow-apply warnings"));

        g = "Unsafe feature";
        l.add(f(g, "force-new-cluster", Kind.BOOL, "false", Status.NO_OP, "Force to create a new one-member cluster.", "an etcdj server is always a one-member cluster"));

        g = "TO BE DEPRECATED";
        l.add(f(g, "debug", Kind.BOOL, "false", Status.IMPLEMENTED, "Enable debug-level logging for etcd. Use '--log-level=debug' instead.", ""));
        l.add(f(g, "log-package-levels", Kind.STRING, "", Status.NO_OP, "Specify a particular log level for each etcd package (eg: 'etcdmain=CRITICAL,etcdserver=DEBUG').",
                "names etcd's Go packages"));

        g = ""; // accepted by etcd 3.4.23 but not in its --help
        l.add(f(g, "config-file", Kind.STRING, "", Status.IMPLEMENTED, "Path to the server configuration file (flags and ETCD_* variables are then ignored).", ""));
        l.add(f(g, "version", Kind.BOOL, "false", Status.IMPLEMENTED, "Print the version and exit.", ""));
        l.add(f(g, "log-output", Kind.STRINGS, "default", Status.IMPLEMENTED, "[TO BE DEPRECATED IN v3.5] use '--log-outputs'.", ""));
        l.add(f(g, "enable-grpc-gateway", Kind.BOOL, "true", Status.NO_OP, "Enable GRPC gateway.", "the /v3 JSON gateway is always served"));
        l.add(f(g, "experimental-enable-lease-checkpoint-persist", Kind.BOOL, "false", Status.NO_OP, "Enable persisting remainingTTL to prevent indefinite auto-renewal of long lived leases.",
                "etcdj always persists remaining lease TTLs (the flag combination is validated as etcd does)"));
        l.add(f(g, "unsafe-no-fsync", Kind.BOOL, "false", Status.NO_OP, "Disables fsync, unsafe, will cause data loss.", "etcdj always fsyncs before acknowledging a write"));
        for (String ignored : List.of("cluster-active-size", "cluster-remove-delay", "cluster-sync-interval", "config", "force",
                "max-result-buffer", "max-retry-attempts", "peer-heartbeat-interval", "peer-election-timeout", "retry-interval",
                "snapshot", "v", "vv", "test.coverprofile", "test.outputdir")) {
            l.add(f(g, ignored, Kind.IGNORED, "", Status.NO_OP, "", "an etcd 2 flag that etcd 3.4 also accepts and ignores"));
        }
        Map<String, Flag> m = new LinkedHashMap<>();
        for (Flag flag : l) {
            m.put(flag.name(), flag);
        }
        ALL = Collections.unmodifiableMap(m);
    }

    private EtcdFlags() {}

    static Flag get(String name) {
        return ALL.get(name);
    }

    private static Flag f(String group, String name, Kind kind, String def, Status status, String help, String note) {
        return new Flag(name, kind, def, List.of(), group, help, status, note);
    }

    private static Flag choice(String group, String name, String def, List<String> choices, Status status, String help,
            String note) {
        return new Flag(name, Kind.CHOICE, def, choices, group, help, status, note);
    }
}
