package dev.etcdj.bench;

import java.time.Duration;

/**
 * Each workload's defaults: etcd's benchmark tool's where it has the workload (8-byte keys and
 * values, one connection, one client, 10,000 requests), small enough for a shared 2-core machine
 * otherwise.
 */
public final class Defaults {

    private Defaults() {}

    public static LoadConfig.Builder of(Workload w) {
        LoadConfig.Builder b = LoadConfig.builder(w);
        switch (w) {
            case PUT, TXN_PUT, RANGE -> b.total(10_000).keySpace(1);
            case MIXED -> b.total(10_000).keySpace(1_000).readRatio(0.9);
            case WATCH -> b.total(2_000).clients(4).watchers(100).keySpace(1_000).valueSize(32);
            case WATCH_LATENCY -> b.total(1_000).rate(100).watchers(10).keySpace(1).valueSize(32);
            case LEASE_KEEPALIVE -> b.total(10_000).watchers(1_000).leaseTtl(10);
            case WATCH_HEAP -> b.total(1).watchers(10_000);
            case WATCH_SLOW -> b.total(20_000).clients(4).valueSize(1_024).keySpace(1_000);
        }
        return b.duration(Duration.ZERO);
    }
}
