package dev.etcdj.client;

import java.util.concurrent.CompletableFuture;

/** A running watch. Closing it cancels the watch on the server and ends with {@link WatchListener#onClosed()}. */
public interface Watcher extends AutoCloseable {

    WatchSpec spec();

    /** The revision of the last event (or progress notification) delivered; 0 before any. */
    long lastRevision();

    /**
     * Completes when the server has confirmed the watch the first time, so that every later write
     * in its range will be delivered. Fails with the error that ended the watch before that (then
     * the watch is over), or with {@link EtcdTimeoutException} when the server did not confirm it
     * within the timeout of the client that made it (then the watch keeps trying until closed).
     */
    CompletableFuture<Void> created();

    /** Completes when the watch ends, for whatever reason. */
    CompletableFuture<Void> terminated();

    @Override
    void close();
}
