package dev.etcdj.bench.servers;

import java.nio.file.Path;

/**
 * A real etcd for the matrix (fsync on, as etcd always does): the test harness's launcher, which
 * picks free loopback ports and a temp data dir, returns once etcd reports healthy (not merely
 * listening, so the first measured request does not race the election), and deletes everything on
 * close or, failing that, when the JVM exits.
 */
public final class EtcdProcess {

    public static final String DEFAULT_BINARY = "/usr/bin/etcd";

    private EtcdProcess() {}

    /** Starts {@code binary}; fails with etcd's log tail if it is missing or does not become healthy. */
    public static Target start(String binary) {
        dev.etcdj.testing.EtcdProcess etcd = dev.etcdj.testing.EtcdProcess.builder()
                .name("bench").binary(Path.of(binary)).build();
        try {
            etcd.start();
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
        return new Target("etcd", "etcd 3.4 (" + binary + "), data on disk", etcd.endpoints(), etcd::close);
    }
}
