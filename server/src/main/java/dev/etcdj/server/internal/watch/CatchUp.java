package dev.etcdj.server.internal.watch;

import dev.etcdj.proto.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Catching one unsynced watcher up from a scanned slice of history (sync thread): its matching
 * events, at most {@value WatchHub#MAX_REVS_PER_RESPONSE} revisions per response, never splitting
 * a revision, stopping when its stream is full.
 */
final class CatchUp {
    private final Responses responses;

    CatchUp(Responses responses) {
        this.responses = responses;
    }

    /** Sends w its events in [w.nextRev, upTo]; returns true if it is still behind. */
    boolean run(Watcher w, List<Event> events, byte[][] keys, long upTo, long headerRev) {
        List<Event> mine = new ArrayList<>();
        long firstRev = -1;
        int revs = 0;
        long lastRev = -1;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            long rev = e.getKv().getModRevision();
            if (rev < w.nextRev || rev < w.minRev) {
                continue;
            }
            if (rev > upTo) {
                break;
            }
            if (!w.matches(e, keys[i])) {
                continue;
            }
            if (rev != lastRev) {
                if (revs == WatchHub.MAX_REVS_PER_RESPONSE) {
                    if (!send(w, mine, revs, headerRev, firstRev)) {
                        return true;
                    }
                    mine = new ArrayList<>();
                    revs = 0;
                }
                if (revs == 0) {
                    firstRev = rev;
                }
                revs++;
                lastRev = rev;
            }
            mine.add(w.prevKv ? responses.withPrevKv(e) : e);
        }
        if (!mine.isEmpty() && !send(w, mine, revs, headerRev, firstRev)) {
            return true;
        }
        w.nextRev = Math.max(w.nextRev, upTo + 1);
        return false;
    }

    private boolean send(Watcher w, List<Event> events, int revs, long headerRev, long firstRev) {
        if (!w.stream.offer(w, events, revs, headerRev, Responses.bytes(events), false)) {
            w.nextRev = firstRev;
            return false;
        }
        w.stream.schedule();
        w.sentSinceProgress = true;
        w.nextRev = events.get(events.size() - 1).getKv().getModRevision() + 1;
        return true;
    }
}
