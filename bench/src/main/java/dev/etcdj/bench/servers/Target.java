package dev.etcdj.bench.servers;

import java.util.List;

/**
 * A server a benchmark runs against: started by the matrix ({@link EtcdProcess#start},
 * {@link ServerProcess#start}), closed (process gone, data deleted) after it.
 *
 * @param name short name for tables: "etcd" or "etcdj-server"
 * @param description what it is, for the report: version, storage, process
 * @param endpoints its client URLs
 * @param stop ends the process and deletes its data
 */
public record Target(String name, String description, List<String> endpoints, Runnable stop) implements AutoCloseable {

    public Target {
        endpoints = List.copyOf(endpoints);
    }

    @Override
    public void close() {
        stop.run();
    }
}
