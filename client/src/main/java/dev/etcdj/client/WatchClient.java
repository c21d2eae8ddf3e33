package dev.etcdj.client;

import java.time.Duration;

/**
 * etcd's watches. The watches of one client share a few streams to the server, on one connection:
 * 16 to a stream before the next opens, at most 8 streams (etcd buffers 128 responses per stream
 * for all its watches, and sends late to the watches that overflow it). Watches of the same key or
 * range and flags share one watch on the server, so it sends each of their events once (see
 * {@link ClientBuilder#coalesceWatches}); each still hears exactly what a watch of its own would. A watch resumes by
 * itself after a dropped connection, a server restart or an endpoint failover, from the revision
 * after the last one it delivered: no event is lost, none is delivered twice, order is kept.
 *
 * <p>A decorator implements {@link #watch(WatchSpec, WatchListener)}, {@link #requestProgress()}
 * and {@link #withTimeout}; the key overloads have defaults in terms of those.
 */
public interface WatchClient extends CallViews<WatchClient> {

    default Watcher watch(String key, WatchListener listener, WatchOption... options) {
        return watch(WatchSpec.of(key, options), listener);
    }

    default Watcher watch(Bytes key, WatchListener listener, WatchOption... options) {
        return watch(WatchSpec.of(key, options), listener);
    }

    Watcher watch(WatchSpec spec, WatchListener listener);

    /**
     * Asks the server for a progress notification on every watch of this client: each listener then
     * gets a response without events whose header revision says how far its watch has got.
     */
    void requestProgress();

    /**
     * A view of this client whose watches give the server this long (instead of the client's
     * default request timeout) to confirm them: {@link Watcher#created()} fails with
     * {@link EtcdTimeoutException} after it, while the watch itself keeps trying until closed.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    WatchClient withTimeout(Duration timeout);

    /**
     * The watch as a {@link java.util.concurrent.Flow.Publisher}: each subscription runs its own
     * watch, with the subscriber's demand as backpressure (see {@link WatchPublisher}).
     */
    default WatchPublisher publisher(WatchSpec spec) {
        return new WatchPublisher(this, spec);
    }

    /** {@link #publisher(WatchSpec)} of a key with these options. */
    default WatchPublisher publisher(String key, WatchOption... options) {
        return publisher(WatchSpec.of(key, options));
    }

    /** A blocking view: {@code watch} returns once the server has confirmed the watch. */
    default BlockingWatchClient blocking() {
        return new BlockingWatchClient(this);
    }
}
