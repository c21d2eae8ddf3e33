package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/** A running keep-alive of one lease. Closing it stops renewing; the lease then expires by itself. */
public interface KeepAlive extends AutoCloseable {

    long leaseId();

    /** Completes when the keep-alive ends, for whatever reason (see {@link KeepAliveListener}). */
    CompletableFuture<Void> terminated();

    @Override
    void close();
}
