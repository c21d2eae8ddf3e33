package dev.etcdj.bench;

import java.time.Duration;
import java.util.List;

/**
 * Everything one run needs, immutable and validated. A run stops at whichever limit comes first,
 * {@code total} requests or {@code duration}; at least one of them is always set, so no run is
 * unbounded.
 *
 * @param conns        client objects (gRPC connections) opened per driver
 * @param clients      concurrent workers, spread round-robin over the connections (etcd's --clients)
 * @param total        requests to send (0 = until the duration ends)
 * @param warmup       requests sent and discarded before measuring, so the JIT has done its work
 * @param rate         requests per second over all workers together (0 = as fast as they go)
 * @param watchers     watch workloads: watchers; lease-keepalive: leases
 * @param waiting      each worker a thread of its own that waits on every call, as sequential
 *                     application code does (see {@link ClosedLoop}); else workers go on from the
 *                     thread that completed their last call
 */
public record LoadConfig(Workload workload, List<String> endpoints, int conns, int clients, long total,
                         Duration duration, long warmup, int keySize, int valueSize, long keySpace,
                         boolean sequential, double rate, boolean serializable, double readRatio, int watchers,
                         long leaseTtl, String prefix, boolean progress, boolean waiting) {

    /** A hard ceiling on any run, whatever is asked: the machines these run on are shared. */
    public static final Duration MAX_DURATION = Duration.ofMinutes(10);

    public LoadConfig {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("--endpoints: at least one endpoint is needed");
        }
        require(conns >= 1, "--conns must be at least 1");
        require(clients >= 1, "--clients must be at least 1");
        require(total >= 0, "--total must not be negative");
        require(duration != null && !duration.isNegative(), "--duration must not be negative");
        require(total > 0 || !duration.isZero(), "set --total or --duration: a run must be bounded");
        require(duration.compareTo(MAX_DURATION) <= 0, "--duration is at most " + MAX_DURATION.toMinutes() + " minutes");
        require(warmup >= 0, "--warmup must not be negative");
        require(keySize >= 1, "--key-size must be at least 1");
        require(valueSize >= 0, "--val-size must not be negative");
        require(keySpace >= 1, "--key-space-size must be at least 1");
        require(rate >= 0, "--rate must not be negative");
        require(readRatio >= 0 && readRatio <= 1, "--read-ratio must be within [0, 1]");
        require(watchers >= 0, "--watchers must not be negative");
        require(leaseTtl >= 1, "--lease-ttl must be at least 1 second");
        prefix = prefix == null ? "" : prefix;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The deadline of the run in nanoseconds from its start; the hard ceiling when none was set. */
    public long durationNanos() {
        return (duration.isZero() ? MAX_DURATION : duration).toNanos();
    }

    public KeyGenerator keys() {
        return new KeyGenerator(prefix, keySize, keySpace, sequential);
    }

    /** Parameters that identify the run in a report. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("conns=").append(conns).append(" clients=").append(clients);
        if (total > 0) {
            sb.append(" total=").append(total);
        }
        if (!duration.isZero()) {
            sb.append(" duration=").append(duration.toSeconds()).append('s');
        }
        sb.append(" key=").append(keySize).append("B val=").append(valueSize).append('B');
        sb.append(" keyspace=").append(keySpace).append(sequential ? " seq" : "");
        if (rate > 0) {
            sb.append(" rate=").append((long) rate).append("/s");
        }
        switch (workload) {
            case RANGE -> sb.append(serializable ? " serializable" : " linearizable");
            case MIXED -> sb.append(" read-ratio=").append(readRatio).append(serializable ? " serializable" : "");
            case WATCH, WATCH_LATENCY, WATCH_HEAP, WATCH_SLOW -> sb.append(" watchers=").append(watchers);
            case LEASE_KEEPALIVE -> sb.append(" leases=").append(watchers).append(" ttl=").append(leaseTtl).append('s');
            default -> { }
        }
        return sb.toString();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(Workload workload) {
        return new Builder(workload);
    }

    /** Defaults close to etcd's benchmark tool: 8-byte keys, 8-byte values, one connection, one client. */
    public static final class Builder {
        private Workload workload;
        private List<String> endpoints = List.of("http://127.0.0.1:2379");
        private int conns = 1;
        private int clients = 1;
        private long total = 10_000;
        private Duration duration = Duration.ZERO;
        private long warmup = -1;
        private int keySize = 8;
        private int valueSize = 8;
        private long keySpace = 1;
        private boolean sequential;
        private double rate;
        private boolean serializable;
        private double readRatio = 0.9;
        private int watchers = 1;
        private long leaseTtl = 10;
        private String prefix = "";
        private boolean progress = true;
        private boolean waiting;

        private Builder(Workload workload) {
            this.workload = workload;
        }

        private Builder(LoadConfig c) {
            workload = c.workload;
            endpoints = c.endpoints;
            conns = c.conns;
            clients = c.clients;
            total = c.total;
            duration = c.duration;
            warmup = c.warmup;
            keySize = c.keySize;
            valueSize = c.valueSize;
            keySpace = c.keySpace;
            sequential = c.sequential;
            rate = c.rate;
            serializable = c.serializable;
            readRatio = c.readRatio;
            watchers = c.watchers;
            leaseTtl = c.leaseTtl;
            prefix = c.prefix;
            progress = c.progress;
            waiting = c.waiting;
        }

        public Builder workload(Workload v) { workload = v; return this; }
        public Builder endpoints(List<String> v) { endpoints = v; return this; }
        public Builder conns(int v) { conns = v; return this; }
        public Builder clients(int v) { clients = v; return this; }
        public Builder total(long v) { total = v; return this; }
        public Builder duration(Duration v) { duration = v; return this; }
        /** -1 (the default) means a tenth of the total, at most 2,000. */
        public Builder warmup(long v) { warmup = v; return this; }
        public Builder keySize(int v) { keySize = v; return this; }
        public Builder valueSize(int v) { valueSize = v; return this; }
        public Builder keySpace(long v) { keySpace = v; return this; }
        public Builder sequential(boolean v) { sequential = v; return this; }
        public Builder rate(double v) { rate = v; return this; }
        public Builder serializable(boolean v) { serializable = v; return this; }
        public Builder readRatio(double v) { readRatio = v; return this; }
        public Builder watchers(int v) { watchers = v; return this; }
        public Builder leaseTtl(long v) { leaseTtl = v; return this; }
        public Builder prefix(String v) { prefix = v; return this; }
        public Builder progress(boolean v) { progress = v; return this; }
        public Builder waiting(boolean v) { waiting = v; return this; }

        public LoadConfig build() {
            long w = warmup >= 0 ? warmup : Math.min(2_000, total / 10);
            return new LoadConfig(workload, endpoints, conns, clients, total, duration, w, keySize, valueSize,
                    keySpace, sequential, rate, serializable, readRatio, watchers, leaseTtl, prefix, progress, waiting);
        }
    }
}
