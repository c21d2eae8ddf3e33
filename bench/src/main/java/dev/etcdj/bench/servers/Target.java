package dev.etcdj.bench.servers;

import java.util.List;

/** A server a benchmark runs against: started by the matrix, closed (process gone, data deleted) after it. */
public interface Target extends AutoCloseable {

    /** Short name for tables: "etcd" or "etcdj-server". */
    String name();

    /** What it is, for the report: version, storage, process. */
    String description();

    List<String> endpoints();

    @Override
    void close();
}
