package dev.etcdj.bench.servers;

import java.nio.file.Path;
import java.util.List;

/**
 * A real etcd for the matrix (fsync on, as etcd always does): the test harness's launcher, which
 * picks free loopback ports and a temp data dir, returns once etcd reports healthy (not merely
 * listening, so the first measured request does not race the election), and deletes everything on
 * close or, failing that, when the JVM exits.
 */
public final class EtcdProcess implements Target {

    public static final String DEFAULT_BINARY = "/usr/bin/etcd";

    private final dev.etcdj.testing.EtcdProcess etcd;
    private final String binary;

    private EtcdProcess(dev.etcdj.testing.EtcdProcess etcd, String binary) {
        this.etcd = etcd;
        this.binary = binary;
    }

    /** Starts {@code binary}; fails with etcd's log tail if it is missing or does not become healthy. */
    public static EtcdProcess start(String binary) {
        dev.etcdj.testing.EtcdProcess etcd = dev.etcdj.testing.EtcdProcess.builder()
                .name("bench").binary(Path.of(binary)).build();
        try {
            etcd.start();
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
        return new EtcdProcess(etcd, binary);
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String description() {
        return "etcd 3.4 (" + binary + "), data on disk";
    }

    @Override
    public List<String> endpoints() {
        return etcd.endpoints();
    }

    @Override
    public void close() {
        etcd.close();
    }
}
