package dev.etcdj.server.internal.metrics;

import dev.etcdj.server.internal.ServerCore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.ToDoubleFunction;

/**
 * The server's Prometheus families, named, typed and labelled as etcd 3.4 exposes them (the names
 * dashboards query), plus the process and JVM families. One registry per server, so two servers in
 * one JVM never mix their figures. Made before the store has recovered (registering the families
 * loads the metrics library: that runs beside the recovery), then {@link #attach attached} to it.
 */
public final class ServerMetrics {
    /** etcd's buckets for the disk latency histograms: 1 ms doubling up to 8.192 s. */
    private static final double[] DISK_BUCKETS = {
        0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    final Counter mvccPut;
    final Counter mvccRange;
    final Counter mvccDelete;
    final Counter mvccTxn;
    private final Counter healthSuccess;
    private final Counter healthFailures;
    private final Histogram backendCommit;
    private final Histogram walFsync;
    private final GrpcMetrics grpc;
    /** The server the gauges read, once attached (no scrape is served before). */
    private volatile ServerCore core;

    public ServerMetrics() {
        gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.", c -> 1);
        gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.", c -> 1);
        // A single member elects itself once at start: etcd reports 1 too.
        Counter.builder().name("etcd_server_leader_changes_seen_total").help("The number of leader changes seen.")
                .register(registry).inc();
        // etcd 3.4 exposes these two "_total" families as gauges (the raft indexes).
        gauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.",
                ServerCore::appliedIndex);
        gauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.",
                ServerCore::appliedIndex);
        gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.",
                ServerCore::pendingProposals);
        // No raft: a proposal cannot be dropped or time out in consensus, so this stays 0 (as on a healthy etcd).
        Counter.builder().name("etcd_server_proposals_failed_total").help("The total number of failed proposals seen.")
                .register(registry);
        healthSuccess = Counter.builder().name("etcd_server_health_success")
                .help("The total number of successful health checks").register(registry);
        healthFailures = Counter.builder().name("etcd_server_health_failures")
                .help("The total number of failed health checks").register(registry);

        gauge("etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", c -> c.backend().size());
        gauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.", c -> c.backend().sizeInUse());
        gauge("etcd_debugging_mvcc_keys_total", "Total number of keys.", c -> c.store().keyCount());
        mvccPut = counter("etcd_mvcc_put_total", "Total number of puts seen by this member.");
        mvccRange = counter("etcd_mvcc_range_total", "Total number of ranges seen by this member.");
        mvccDelete = counter("etcd_mvcc_delete_total", "Total number of deletes seen by this member.");
        mvccTxn = counter("etcd_mvcc_txn_total", "Total number of txns seen by this member.");

        backendCommit = Histogram.builder().name("etcd_disk_backend_commit_duration_seconds")
                .help("The latency distributions of commit called by backend.")
                .classicUpperBounds(DISK_BUCKETS).classicOnly().register(registry);
        walFsync = Histogram.builder().name("etcd_disk_wal_fsync_duration_seconds")
                .help("The latency distributions of fsync called by WAL.")
                .classicUpperBounds(DISK_BUCKETS).classicOnly().register(registry);
        grpc = new GrpcMetrics(registry, new MvccCounts(this));
    }

    /** Reads {@code core} from now on, and times its storage writes. */
    public void attach(ServerCore core) {
        this.core = core;
        core.backend().onWrite(this::observeWrite);
    }

    private volatile boolean jvmRegistered;

    /**
     * The process and JVM families are registered at the first scrape, not at start: registering
     * them loads the JMX platform (a few hundred classes), which a server that is never scraped
     * would pay for at every start.
     */
    private void registerJvmOnce() {
        if (!jvmRegistered) {
            synchronized (this) {
                if (!jvmRegistered) {
                    JvmMetrics.builder().register(registry);
                    jvmRegistered = true;
                }
            }
        }
    }

    /**
     * One storage write: RocksDB appends its WAL and, when synced, fsyncs it in the same call, so the
     * same duration is etcd's backend commit, and its WAL fsync when the write was synced.
     */
    private void observeWrite(long nanos, boolean synced) {
        double seconds = nanos / 1e9;
        backendCommit.observe(seconds);
        if (synced) {
            walFsync.observe(seconds);
        }
    }

    /** The interceptor that feeds the {@code grpc_server_*} and mvcc families; add it to every service. */
    public GrpcMetrics grpc() {
        return grpc;
    }

    public void healthChecked(boolean healthy) {
        (healthy ? healthSuccess : healthFailures).inc();
    }

    public String contentType() {
        return writer.getContentType();
    }

    public void scrape(OutputStream out) throws IOException {
        registerJvmOnce();
        writer.write(out, registry.scrape());
    }

    private void gauge(String name, String help, ToDoubleFunction<ServerCore> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            ServerCore c = core;
            if (c != null) {
                cb.call(value.applyAsDouble(c));
            }
        }).register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).register(registry);
    }
}
