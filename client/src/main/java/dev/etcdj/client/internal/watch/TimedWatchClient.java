package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchClient;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import java.time.Duration;

/** A {@code withTimeout} view of the watch client: its watches share the client's stream, only the confirmation deadline differs. */
final class TimedWatchClient implements WatchClient {

    private final WatchClientImpl watches;
    private final Duration createTimeout;

    TimedWatchClient(WatchClientImpl watches, Duration createTimeout) {
        this.watches = watches;
        this.createTimeout = createTimeout;
    }

    @Override
    public Watcher watch(WatchSpec spec, WatchListener listener) {
        return watches.watch(spec, listener, createTimeout);
    }

    @Override
    public void requestProgress() {
        watches.requestProgress();
    }

    @Override
    public WatchClient withTimeout(Duration timeout) {
        return watches.withTimeout(timeout);
    }

    @Override
    public WatchClient withRequireLeader() {
        return watches.withRequireLeader().withTimeout(createTimeout);
    }
}
