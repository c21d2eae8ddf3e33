package dev.etcdj.bench;

/** The loads the engine runs; the names are the subcommands of {@code bench}. */
public enum Workload {
    /** Puts, as etcd's {@code benchmark put}. */
    PUT("put"),
    /** Gets of keys written before the run, linearizable unless serializable is asked for. */
    RANGE("range"),
    /** Transactions whose only op is a put, as etcd's {@code benchmark txn-put}. */
    TXN_PUT("txn-put"),
    /** N watchers on one prefix, M writers: event throughput and put-to-event latency. */
    WATCH("watch"),
    /** Rate-limited puts to one key, many watchers: put-to-event latency, as etcd's {@code watch-latency}. */
    WATCH_LATENCY("watch-latency"),
    /** Many leases kept alive by streams while workers renew leases once each (keepAliveOnce). */
    LEASE_KEEPALIVE("lease-keepalive"),
    /** Reads and writes mixed at a given read ratio. */
    MIXED("mixed"),
    /** Heap a single client holds for many watchers. */
    WATCH_HEAP("watch-heap"),
    /** A watcher whose consumer blocks while writers go on: does the client buffer without bound? */
    WATCH_SLOW("watch-slow");

    private final String cliName;

    Workload(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Workload byName(String name) {
        for (Workload w : values()) {
            if (w.cliName.equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload " + name);
    }
}
