package dev.etcdj.client;

import java.time.Duration;

/**
 * The blocking view of a {@link WatchClient}: {@code watch} returns once the server has confirmed
 * the watch (so a write made after it returns is seen), or closes the watch and throws the
 * {@link EtcdException} that kept it from starting: {@link EtcdTimeoutException} when the server
 * did not confirm within the view's timeout, {@link CompactedException} when its start revision is
 * gone, {@link PermissionDeniedException}, ... Events are still heard by the listener.
 */
public final class BlockingWatchClient {

    private final WatchClient watch;

    BlockingWatchClient(WatchClient watch) {
        this.watch = watch;
    }

    public Watcher watch(String key, WatchListener listener, WatchOption... options) {
        return watch(WatchSpec.of(key, options), listener);
    }

    public Watcher watch(Bytes key, WatchListener listener, WatchOption... options) {
        return watch(WatchSpec.of(key, options), listener);
    }

    public Watcher watch(WatchSpec spec, WatchListener listener) {
        Watcher w = watch.watch(spec, listener);
        try {
            Futures.await(w.created());
            return w;
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    public void requestProgress() {
        watch.requestProgress();
    }

    /** The same view with this much time for the server to confirm each watch. */
    public BlockingWatchClient withTimeout(Duration timeout) {
        return watch.withTimeout(timeout).blocking();
    }

    public WatchClient async() {
        return watch;
    }
}
