package dev.etcdj.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/serve-flags.md} lists exactly the flags of {@link EtcdFlags} with their status (the test leaves
 * the expected text in {@code cli/target/serve-flags.md}), and every flag that etcd 3.4.23's help lists is there.
 */
class ServeFlagsTableTest {

    private static final Path DOC = Path.of("..", "docs", "serve-flags.md");

    static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# `etcdj serve`: every etcd 3.4 flag\n\n")
                .append("`etcdj serve` takes etcd 3.4.23's command line: the same flags (Go flag syntax: `-flag`, `--flag value`, ")
                .append("`--flag=value`), the same `ETCD_*` environment variables (a flag given both ways is fatal, as in etcd), ")
                .append("or `--config-file` with etcd's YAML keys (durations in integer nanoseconds; client TLS under ")
                .append("`client-transport-security`; flags and variables are then ignored). Values are checked, and bad ones ")
                .append("refused, with etcd's own messages and exit codes (2 for flag syntax, 1 otherwise).\n\n")
                .append("- **implemented**: does what etcd does.\n")
                .append("- **no-op**: only concerns peers, raft or etcd's own files, so it has nothing to do on a single etcdj member; ")
                .append("it is accepted (and validated as etcd validates it) with a one-line notice in the log.\n")
                .append("- **refused**: would need a second member, the v2 API, or something etcdj lacks; ")
                .append("refused with an error that says why, unless left at its default.\n\n")
                .append("This table is generated from `cli/src/main/java/dev/etcdj/cli/serve/EtcdFlags.java` ")
                .append("(`ServeFlagsTableTest` keeps them equal).\n\n")
                .append("| flag | etcd default | status | notes |\n|---|---|---|---|\n");
        for (Flag f : EtcdFlags.ALL.values()) {
            String def = f.name().equals("data-dir") ? "${name}.etcd" : f.def();
            String status = switch (f.status()) {
                case IMPLEMENTED -> "implemented";
                case NO_OP -> "no-op";
                case REFUSED -> "refused";
            };
            sb.append("| `--").append(f.name()).append("` | ").append(def.isEmpty() ? "" : "`" + def + "`").append(" | ")
                    .append(status).append(" | ").append(f.note().replace("|", "\\|"))
                    .append(f.group().isEmpty() ? (f.note().isEmpty() ? "" : "; ") + "not in etcd's --help" : "").append(" |\n");
        }
        return sb.toString();
    }

    @Test
    void docListsEveryFlag() throws IOException {
        String expected = markdown();
        Files.writeString(Path.of("target", "serve-flags.md"), expected); // copy it to docs/ after changing the table
        assertThat(Files.readString(DOC)).isEqualTo(expected);
    }

    /** The flags of {@code etcd --help} (3.4.23), as a plain list: each must be in the table, in a help group. */
    @Test
    void tableHasEveryFlagOfEtcdHelp() {
        List<String> help = List.of("name", "data-dir", "wal-dir", "snapshot-count", "heartbeat-interval", "election-timeout",
                "initial-election-tick-advance", "listen-peer-urls", "listen-client-urls", "max-snapshots", "max-wals",
                "quota-backend-bytes", "backend-batch-interval", "backend-batch-limit", "max-txn-ops", "max-request-bytes",
                "max-concurrent-streams", "grpc-keepalive-min-time", "grpc-keepalive-interval", "grpc-keepalive-timeout",
                "initial-advertise-peer-urls", "initial-cluster", "initial-cluster-state", "initial-cluster-token",
                "advertise-client-urls", "discovery", "discovery-fallback", "discovery-proxy", "discovery-srv",
                "discovery-srv-name", "strict-reconfig-check", "pre-vote", "auto-compaction-retention", "auto-compaction-mode",
                "enable-v2", "cert-file", "key-file", "client-cert-auth", "client-crl-file", "client-cert-allowed-hostname",
                "trusted-ca-file", "auto-tls", "peer-cert-file", "peer-key-file", "peer-client-cert-auth", "peer-trusted-ca-file",
                "peer-cert-allowed-cn", "peer-cert-allowed-hostname", "peer-auto-tls", "peer-crl-file", "cipher-suites", "cors",
                "host-whitelist", "auth-token", "bcrypt-cost", "auth-token-ttl", "enable-pprof", "metrics", "listen-metrics-urls",
                "logger", "log-outputs", "log-level", "proxy", "proxy-failure-wait", "proxy-refresh-interval",
                "proxy-dial-timeout", "proxy-write-timeout", "proxy-read-timeout", "experimental-initial-corrupt-check",
                "experimental-corrupt-check-time", "experimental-enable-v2v3", "experimental-backend-bbolt-freelist-type",
                "experimental-enable-lease-checkpoint", "experimental-compaction-batch-limit",
                "experimental-peer-skip-client-san-verification", "experimental-watch-progress-notify-interval",
                "experimental-warning-apply-duration", "force-new-cluster", "debug", "log-package-levels");
        List<String> missing = new ArrayList<>();
        for (String name : help) {
            Flag f = EtcdFlags.get(name);
            if (f == null || f.group().isEmpty()) {
                missing.add(name);
            }
        }
        assertThat(missing).isEmpty();
        for (Map.Entry<String, Flag> e : EtcdFlags.ALL.entrySet()) {
            assertThat(e.getValue().status() == Flag.Status.IMPLEMENTED || !e.getValue().note().isEmpty())
                    .as("--%s says why it is not implemented", e.getKey()).isTrue();
        }
    }
}
