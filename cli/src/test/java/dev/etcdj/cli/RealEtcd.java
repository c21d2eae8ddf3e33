package dev.etcdj.cli;

import dev.etcdj.testing.EtcdProcess;

/**
 * A fresh real etcd for the parity tests: the testing module's launcher, with the member name
 * etcd uses by default ("default" shows in member and endpoint output) and the endpoint in the
 * {@code host:port} form etcdctl is given.
 */
final class RealEtcd implements AutoCloseable {

    private final EtcdProcess process;
    final String endpoint;

    RealEtcd() {
        process = EtcdProcess.builder().name("default").build();
        process.start();
        endpoint = process.endpoint().replaceFirst("^http://", "");
    }

    @Override
    public void close() {
        process.close();
    }
}
