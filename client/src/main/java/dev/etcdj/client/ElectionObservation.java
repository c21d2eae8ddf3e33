package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/**
 * A running {@link ElectionClient#observe observation} of an election. It rides out broken
 * connections and failover by opening the server's stream again; the server then tells the
 * current leader, which the listener hears only when it changed meanwhile.
 */
public interface ElectionObservation extends AutoCloseable {

    /** The election's name. */
    Bytes name();

    /** Completes when the observation ends, for whatever reason. */
    CompletableFuture<Void> terminated();

    /** Stops observing; the listener hears {@link ElectionListener#onClosed()} unless it already ended. */
    @Override
    void close();
}
