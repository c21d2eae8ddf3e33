package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/** A running watch. Closing it cancels the watch on the server and ends with {@link WatchListener#onClosed()}. */
public interface Watcher extends AutoCloseable {

    WatchSpec spec();

    /** The revision of the last event (or progress notification) delivered; 0 before any. */
    long lastRevision();

    /** Completes when the watch ends, for whatever reason. */
    CompletableFuture<Void> terminated();

    @Override
    void close();
}
