package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Live delivery's matching step (apply thread, under the hub's lock): for one event of a revision,
 * called with each synced watcher whose range holds the key, it collects the events of that
 * revision per watcher (prev_kv filled in once per event, shared by every watcher that wants it)
 * and lists each watcher that got any in {@code roundWatchers}.
 */
final class LiveMatch implements Consumer<Watcher> {
    private final Responses responses;
    /** The watchers that got events of the current revision. */
    final List<Watcher> roundWatchers = new ArrayList<>();
    long rev;
    List<Event> events;
    Event event;
    int index;
    /** The revision's events with prev_kv filled in, made on first need. */
    Event[] withPrev;

    LiveMatch(Responses responses) {
        this.responses = responses;
    }

    @Override
    public void accept(Watcher w) {
        if (rev < w.minRev || !w.accepts(event)) {
            return;
        }
        Event e = event;
        if (w.prevKv) {
            if (withPrev == null) {
                withPrev = new Event[events.size()];
            }
            if (withPrev[index] == null) {
                withPrev[index] = responses.withPrevKv(event);
            }
            e = withPrev[index];
        }
        if (w.roundRev != rev) {
            w.roundRev = rev;
            w.roundFirst = e;
            w.roundMore = null;
            roundWatchers.add(w);
        } else {
            if (w.roundMore == null) {
                w.roundMore = new ArrayList<>(4);
                w.roundMore.add(w.roundFirst);
            }
            w.roundMore.add(e);
        }
    }
}
