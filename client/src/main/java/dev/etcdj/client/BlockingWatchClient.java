package dev.etcdj.client;

/**
 * The blocking view of a {@link WatchClient}: {@code watch} returns once the server has confirmed
 * the watch (so a write made after it returns is seen), or closes the watch and throws the
 * {@link EtcdException} that kept it from starting: {@link EtcdTimeoutException} when the server
 * did not confirm within the view's timeout, {@link CompactedException} when its start revision is
 * gone, {@link PermissionDeniedException}, ... Events are still heard by the listener.
 */
public final class BlockingWatchClient extends BlockingBase<WatchClient, BlockingWatchClient> {

    BlockingWatchClient(WatchClient watch) {
        super(watch, WatchClient::blocking);
    }

    public Watcher watch(String key, WatchListener listener, WatchOption... options) {
        return watch(WatchSpec.of(key, options), listener);
    }

    public Watcher watch(Bytes key, WatchListener listener, WatchOption... options) {
        return watch(WatchSpec.of(key, options), listener);
    }

    public Watcher watch(WatchSpec spec, WatchListener listener) {
        Watcher w = async.watch(spec, listener);
        try {
            Futures.await(w.created());
            return w;
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
    }

    public void requestProgress() {
        async.requestProgress();
    }
}
