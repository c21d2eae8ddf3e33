package dev.etcdj.server.internal.snapshot;

import java.io.IOException;

/** Receives etcd buckets in name order, each with its entries in key order. */
public interface BucketSink {
    void begin(String bucket) throws IOException;

    void put(byte[] key, byte[] value) throws IOException;

    void end() throws IOException;
}
