package dev.etcdj.client;

/**
 * etcd's watches. Every watch of one client shares one stream to the server. A watch resumes by
 * itself after a dropped connection, a server restart or an endpoint failover, from the revision
 * after the last one it delivered: no event is lost, none is delivered twice, order is kept.
 */
public interface WatchClient {

    Watcher watch(String key, WatchListener listener, WatchOption... options);

    Watcher watch(Bytes key, WatchListener listener, WatchOption... options);

    Watcher watch(WatchSpec spec, WatchListener listener);

    /**
     * Asks the server for a progress notification on every watch of this client: each listener then
     * gets a response without events whose header revision says how far its watch has got.
     */
    void requestProgress();
}
