package dev.etcdj.client;

import java.util.Objects;

/**
 * What one watch asks for, with its options resolved: the key or range, the revision to start at
 * (0 = from the next change), and its flags. Made by {@link #of(Bytes, WatchOption...)}.
 */
public record WatchSpec(Bytes key, Bytes rangeEnd, long startRevision, boolean prevKv, boolean progressNotify,
                        boolean noPut, boolean noDelete, boolean fragment) {
    public WatchSpec {
        Objects.requireNonNull(key, "key");
        rangeEnd = rangeEnd == null ? Bytes.EMPTY : rangeEnd;
    }

    public static WatchSpec of(String key, WatchOption... options) {
        return of(Bytes.of(key), options);
    }

    public static WatchSpec of(Bytes key, WatchOption... options) {
        return OptionResolver.watch(key, options);
    }

    /** The same watch, resuming at another revision: how a watch continues after a reconnect. */
    public WatchSpec withStartRevision(long revision) {
        return new WatchSpec(key, rangeEnd, revision, prevKv, progressNotify, noPut, noDelete, fragment);
    }
}
