package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins a fragmented watch response: pieces marked {@code fragment=true} are held until the piece
 * with {@code fragment=false} completes them. One per watch; dropped when the stream is lost (the
 * resume replays the whole revision).
 */
final class FragmentBuffer {

    private List<WatchEvent> held;

    /** The complete list of events once the last piece is in; null while pieces are missing. */
    List<WatchEvent> add(List<WatchEvent> events, boolean morePieces) {
        if (morePieces) {
            if (held == null) {
                held = new ArrayList<>(events);
            } else {
                held.addAll(events);
            }
            return null;
        }
        if (held == null) {
            return events;
        }
        List<WatchEvent> all = held;
        held = null;
        all.addAll(events);
        return all;
    }

    boolean isEmpty() {
        return held == null;
    }

    void reset() {
        held = null;
    }
}
