package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.server.internal.mvcc.KeyRange;

/** One watcher on one stream. Mutable fields are guarded by the hub lock. */
final class Watcher {
    final WatchStream stream;
    final long id;
    final KeyRange range;
    final boolean prevKv;
    final boolean noPut;
    final boolean noDelete;
    final boolean progressNotify;
    final boolean fragment;
    /** Events below this revision are never sent (a future start_revision). */
    final long minRev;
    /** Next revision this watcher has not been sent yet. */
    long nextRev;
    boolean synced;
    boolean canceled;
    boolean sentSinceProgress;

    Watcher(WatchStream stream, long id, KeyRange range, long startRev, boolean prevKv, boolean noPut,
            boolean noDelete, boolean progressNotify, boolean fragment) {
        this.stream = stream;
        this.id = id;
        this.range = range;
        this.minRev = startRev;
        this.nextRev = startRev;
        this.prevKv = prevKv;
        this.noPut = noPut;
        this.noDelete = noDelete;
        this.progressNotify = progressNotify;
        this.fragment = fragment;
    }

    boolean matches(Event e) {
        if (e.getType() == Event.EventType.PUT ? noPut : noDelete) {
            return false;
        }
        return range.contains(e.getKv().getKey().toByteArray());
    }

    boolean isSingleKey() {
        return range.isSingle();
    }
}
