package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.server.internal.mvcc.KeyRange;
import java.util.List;

/** One watcher on one stream. Mutable fields are guarded by the hub lock unless noted. */
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
    volatile boolean canceled;
    boolean sentSinceProgress;

    /** Scratch of the live delivery of one revision: its first event, the others, and which revision. */
    long roundRev = -1;
    Event roundFirst;
    List<Event> roundMore;

    /** The watcher's last queued response, which later revisions may join; guarded by the stream. */
    WatchStream.Batch openBatch;

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

    /** Whether the watcher's filters let this event type through. */
    boolean accepts(Event e) {
        return !(e.getType() == Event.EventType.PUT ? noPut : noDelete);
    }

    /** Filters and key range; key is the event's key. */
    boolean matches(Event e, byte[] key) {
        return accepts(e) && range.contains(key);
    }

    boolean isSingleKey() {
        return range.isSingle();
    }
}
