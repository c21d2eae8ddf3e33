package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchClient;
import dev.etcdj.client.internal.Transport;

/**
 * The watch client of a client's {@code withRequireLeader} views: its watches go on a stream of
 * their own that carries {@code hasleader} (as Go's streams are per context metadata), made on
 * first use and closed with the client.
 */
final class LeaderWatches {

    private final WatchClientImpl owner;
    private final Transport transport;
    private WatchClientImpl made;
    private boolean closed;

    LeaderWatches(WatchClientImpl owner, Transport transport) {
        this.owner = owner;
        this.transport = transport;
    }

    synchronized WatchClient get() {
        if (transport.settings().requireLeader()) {
            return owner;
        }
        if (made == null) {
            made = owner.on(transport.withRequireLeader());
            if (closed) {
                made.close();
            }
        }
        return made;
    }

    void close() {
        WatchClientImpl m;
        synchronized (this) {
            closed = true;
            m = made;
        }
        if (m != null) {
            m.close();
        }
    }
}
