package dev.etcdj.cli.serve;

import dev.etcdj.cli.serve.log.LogSink;
import dev.etcdj.server.EtcdServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a set of etcd flags means for {@code etcdj serve}: etcd 3.4's checks, in its order and words
 * ({@link #verify}: embed.Config.Validate; {@link #checkBootstrap}: what etcd checks when it starts a new
 * member), the refusals, and the server builder they configure.
 */
final class ServePlan {

    /** A configuration etcd would refuse: {@code message} is etcd's text. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final FlagValues v;
    /** Whether --listen-client-urls came from the command line or environment without --advertise-client-urls. */
    private final boolean missingAdvertise;

    ServePlan(FlagValues v, boolean fromFile) {
        this.v = v;
        this.missingAdvertise = !fromFile && v.isGiven("listen-client-urls") && !v.isGiven("advertise-client-urls");
    }

    String name() {
        return v.string("name");
    }

    Path dataDir() {
        String d = v.string("data-dir");
        return Path.of(d.isEmpty() ? name() + ".etcd" : d);
    }

    /** The --logger, --log-level/--debug and --log-outputs settings, checked as etcd's setupLogging does. */
    record Logging(boolean zap, LogSink.Level level, List<String> outputs) {}

    Logging logging() throws Refused {
        String logger = v.string("logger");
        if (!logger.equals("zap") && !logger.equals("capnslog")) {
            throw new Refused("unknown logger option " + dev.etcdj.cli.GoValues.quote(logger));
        }
        List<String> outputs = v.isGiven("log-outputs") || !v.isGiven("log-output") ? v.list("log-outputs") : v.list("log-output");
        LogSink.Level level = v.bool("debug") ? LogSink.Level.DEBUG : LogSink.Level.parse(v.string("log-level"));
        if (logger.equals("capnslog")) {
            if (outputs.size() > 1) {
                throw new Refused("multiple log outputs (" + String.join(",", outputs) + ") are not supported yet for capnslog");
            }
            String out = outputs.get(0);
            if (!List.of("default", "stderr", "stdout", "systemd/journal").contains(out)) {
                throw new Refused("unknown log-output " + dev.etcdj.cli.GoValues.quote(out) + " (only supports \"default\", \"stderr\", \"stdout\")");
            }
            // capnslog takes its level from --debug only; --log-level belongs to zap.
            level = v.bool("debug") ? LogSink.Level.DEBUG : LogSink.Level.INFO;
        }
        return new Logging(logger.equals("zap"), level, outputs);
    }

    /** embed.Config.Validate after setupLogging (the bind/host URL, bootstrap, raft timing and mode checks). */
    void verify() throws Refused {
        for (String flag : List.of("listen-peer-urls", "listen-client-urls", "listen-metrics-urls")) {
            for (String url : v.list(flag)) {
                String err = GoUrls.checkBind(url);
                if (err != null) {
                    throw new Refused(err);
                }
            }
        }
        for (String flag : List.of("initial-advertise-peer-urls", "advertise-client-urls")) {
            for (String url : v.list(flag)) {
                String err = GoUrls.checkHost(url);
                if (err != null) {
                    throw new Refused("--" + flag + " " + dev.etcdj.cli.GoValues.quote(String.join(",", v.list(flag)))
                            + " must be \"host:port\" (" + err + ")");
                }
            }
        }
        String state = v.string("initial-cluster-state");
        if (!state.equals("new") && !state.equals("existing")) {
            throw new Refused("unexpected clusterState " + dev.etcdj.cli.GoValues.quote(state));
        }
        int bootstrap = (v.string("discovery").isEmpty() ? 0 : 1) + (initialCluster().isEmpty() ? 0 : 1)
                + (v.string("discovery-srv").isEmpty() ? 0 : 1);
        if (bootstrap > 1) {
            throw new Refused("multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"");
        }
        long tick = v.number("heartbeat-interval");
        long election = v.number("election-timeout");
        if (tick <= 0) {
            throw new Refused("--heartbeat-interval must be >0 (set to " + tick + "ms)");
        }
        if (election <= 0) {
            throw new Refused("--election-timeout must be >0 (set to " + election + "ms)");
        }
        if (5 * tick > election) {
            throw new Refused("--election-timeout[" + election + "ms] should be at least as 5 times as --heartbeat-interval[" + tick + "ms]");
        }
        if (election > 50000) {
            throw new Refused("--election-timeout[" + election + "ms] is too long, and should be set less than 50000ms");
        }
        if (missingAdvertise) {
            throw new Refused("--advertise-client-urls is required when --listen-client-urls is set explicitly");
        }
        String mode = v.string("auto-compaction-mode");
        if (!mode.isEmpty() && !mode.equals("periodic") && !mode.equals("revision")) {
            throw new Refused("unknown auto-compaction-mode " + dev.etcdj.cli.GoValues.quote(mode));
        }
        if (v.bool("experimental-enable-lease-checkpoint-persist") && !v.bool("experimental-enable-lease-checkpoint")) {
            throw new Refused("setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint");
        }
        for (Flag f : EtcdFlags.ALL.values()) {
            if (f.status() == Flag.Status.REFUSED && v.isNonDefault(f.name())) {
                throw new Refused("--" + f.name() + " is not supported by etcdj serve: " + f.note());
            }
        }
    }

    /** etcd with discovery flags drops the default --initial-cluster; the others keep it. */
    private String initialCluster() {
        boolean discovery = !v.string("discovery").isEmpty() || !v.string("discovery-srv").isEmpty()
                || !v.string("discovery-srv-name").isEmpty();
        if (discovery && !v.isGiven("initial-cluster")) {
            return "";
        }
        String ic = v.string("initial-cluster");
        // etcd rewrites the default cluster for a --name given without --initial-cluster (UpdateDefaultClusterFromName).
        if (!v.isGiven("initial-cluster") && !name().equals("default")) {
            List<String> parts = new ArrayList<>();
            for (String u : v.list("initial-advertise-peer-urls")) {
                parts.add(name() + "=" + u);
            }
            return String.join(",", parts);
        }
        return ic;
    }

    /** etcd's configureClientListeners, which runs before the server is made: https:// needs a certificate. */
    void checkListeners() throws Refused {
        boolean tls = !v.string("cert-file").isEmpty() || !v.string("key-file").isEmpty() || v.bool("auto-tls");
        for (String url : v.list("listen-client-urls")) {
            if (url.startsWith("https://") && !tls) {
                throw new Refused("TLS key/cert (--cert-file, --key-file) must be provided for client url " + url
                        + " with HTTPS scheme");
            }
        }
    }

    /**
     * What etcd checks when it bootstraps a new member (a data dir without a store): --initial-cluster
     * must name this member with exactly its advertised peer URLs; more members, or joining an existing
     * cluster, are refused here (etcd would wait for peers that an etcdj server never has).
     */
    void checkBootstrap() throws Refused {
        if (Files.isDirectory(dataDir().resolve("rocksdb"))) {
            return; // an existing member: etcd ignores the bootstrap flags too
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String part : initialCluster().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new Refused("missing = in " + dev.etcdj.cli.GoValues.quote(part));
            }
            members.computeIfAbsent(part.substring(0, eq), k -> new ArrayList<>()).add(part.substring(eq + 1));
        }
        List<String> mine = members.get(name());
        if (mine == null) {
            throw new Refused("couldn't find local name " + dev.etcdj.cli.GoValues.quote(name()) + " in the initial cluster configuration");
        }
        List<String> sorted = new ArrayList<>(mine);
        sorted.sort(null);
        List<String> advertised = v.list("initial-advertise-peer-urls");
        if (!sorted.equals(advertised)) {
            List<String> pairs = new ArrayList<>();
            for (String u : sorted) {
                pairs.add(name() + "=" + u);
            }
            throw new Refused("--initial-cluster has " + String.join(",", pairs) + " but missing from --initial-advertise-peer-urls="
                    + String.join(",", advertised) + " (resolved urls: " + quoted(advertised) + " != " + quoted(sorted) + ")");
        }
        if (members.size() > 1) {
            throw new Refused("--initial-cluster names " + members.size() + " members (" + String.join(",", members.keySet())
                    + "): etcdj serve runs a single member and never has the quorum of a larger cluster");
        }
        if (v.string("initial-cluster-state").equals("existing")) {
            throw new Refused("--initial-cluster-state=existing joins a running cluster: etcdj serve runs a single member and has no cluster to join");
        }
    }

    private static String quoted(List<String> urls) {
        List<String> q = new ArrayList<>();
        for (String u : urls) {
            q.add(dev.etcdj.cli.GoValues.quote(u));
        }
        return String.join(",", q);
    }

    /** The flags given (by any source) that only concern peers or raft: one notice each. */
    List<Flag> noOps() {
        List<Flag> out = new ArrayList<>();
        for (String name : v.given().keySet()) {
            Flag f = EtcdFlags.get(name);
            if (f.status() == Flag.Status.NO_OP) {
                out.add(f);
            }
        }
        return out;
    }

    Object value(String name) {
        return v.get(name);
    }

    /** The server these flags describe. */
    EtcdServer.Builder builder() throws Refused {
        EtcdServer.Builder b = EtcdServer.builder().name(name()).dataDir(dataDir())
                .listenClientUrls(v.list("listen-client-urls"))
                .listenMetricsUrls(v.list("listen-metrics-urls"))
                .advertisePeerUrls(v.list("initial-advertise-peer-urls"))
                .maxTxnOps(Math.toIntExact(Math.min(Integer.MAX_VALUE, v.number("max-txn-ops"))))
                .maxRequestBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE, v.number("max-request-bytes"))))
                .progressNotifyInterval(v.duration("experimental-watch-progress-notify-interval"))
                .grpcKeepAlive(v.duration("grpc-keepalive-min-time"), v.duration("grpc-keepalive-interval"),
                        v.duration("grpc-keepalive-timeout"))
                .maxConcurrentStreams(v.number("max-concurrent-streams"));
        if (!missingAdvertise) {
            b.advertiseClientUrls(v.list("advertise-client-urls"));
        }
        if (v.number("quota-backend-bytes") > 0) {
            b.quotaBackendBytes(v.number("quota-backend-bytes"));
        }
        autoCompaction(b);
        tls(b);
        b.authToken(v.string("auth-token"));
        if (v.number("auth-token-ttl") > 0) {
            b.authTokenTtl(Duration.ofSeconds(v.number("auth-token-ttl")));
        }
        if (!invalidBcryptCost()) {
            b.bcryptCost((int) v.number("bcrypt-cost"));
        }
        return b;
    }

    /** A --bcrypt-cost outside bcrypt's 4..31: etcd warns and keeps its default, 10. */
    boolean invalidBcryptCost() {
        long cost = v.number("bcrypt-cost");
        return cost < 4 || cost > 31;
    }

    /** etcd's --auto-compaction-mode/--auto-compaction-retention (v3compactor). */
    private void autoCompaction(EtcdServer.Builder b) throws Refused {
        String retention = v.string("auto-compaction-retention");
        if (v.string("auto-compaction-mode").equals("revision")) {
            try {
                b.autoCompactionRevisionRetention(Long.parseLong(retention));
            } catch (NumberFormatException e) {
                throw new Refused("strconv.ParseInt: parsing " + dev.etcdj.cli.GoValues.quote(retention) + ": invalid syntax");
            }
            return;
        }
        b.autoCompactionRetention(periodicRetention(retention));
    }

    /** Periodic retention: a number of hours, or a Go duration such as 30m (etcd's parseCompactionRetention). */
    static Duration periodicRetention(String retention) throws Refused {
        try {
            return Duration.ofHours(Long.parseLong(retention));
        } catch (NumberFormatException e) {
            try {
                return dev.etcdj.cli.GoValues.parseDuration(retention);
            } catch (RuntimeException bad) {
                throw new Refused("time: invalid duration " + dev.etcdj.cli.GoValues.quote(retention));
            }
        }
    }

    /** --auto-tls with --cert-file or --key-file: etcd warns and uses the files. */
    boolean autoTlsIgnored() {
        return v.bool("auto-tls") && (!v.string("cert-file").isEmpty() || !v.string("key-file").isEmpty());
    }

    /** etcd's client TLS flags; like etcd, http:// URLs ignore them (etcd warns) and serve plain text. */
    private void tls(EtcdServer.Builder b) throws Refused {
        String cert = v.string("cert-file");
        String key = v.string("key-file");
        if (cert.isEmpty() && key.isEmpty()) {
            if (v.bool("auto-tls")) {
                // etcd's SelfCert replaces the whole client TLS info: CA, client-cert-auth, CRL and host name go.
                b.autoTls(true);
                if (!v.list("cipher-suites").isEmpty()) {
                    b.cipherSuites(v.list("cipher-suites"));
                }
            }
            return; // without either, an https:// URL is refused by the server, in etcd's words
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new Refused("KeyFile and CertFile must both be present[key: " + key + ", cert: " + cert + "]");
        }
        b.tls(Path.of(cert), Path.of(key));
        if (!v.string("trusted-ca-file").isEmpty()) {
            b.trustedCaFile(Path.of(v.string("trusted-ca-file")));
        }
        b.clientCertAuth(v.bool("client-cert-auth"));
        if (!v.string("client-crl-file").isEmpty()) {
            b.clientCrlFile(Path.of(v.string("client-crl-file")));
        }
        if (!v.string("client-cert-allowed-hostname").isEmpty()) {
            b.clientCertAllowedHostname(v.string("client-cert-allowed-hostname"));
        }
        if (!v.list("cipher-suites").isEmpty()) {
            b.cipherSuites(v.list("cipher-suites"));
        }
    }
}
