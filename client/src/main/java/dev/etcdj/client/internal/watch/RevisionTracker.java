package dev.etcdj.client.internal.watch;

import dev.etcdj.client.WatchEvent;
import java.util.List;

/**
 * How far one watch has got, and so where it resumes: the revision of the last event (or own
 * progress notification) accepted for delivery. Events at or below it are dropped as duplicates:
 * after a resume the server replays from the revision we ask for, and a revision never straddles
 * two responses (fragments are joined first), so dropping by revision loses nothing.
 *
 * <p>A watch that starts "now" (revision 0) learns its starting point from the created response,
 * whose header carries the store revision the server started after; from then on it resumes from
 * an exact revision too, so events written while disconnected are not lost.
 */
final class RevisionTracker {

    private long watermark;
    private boolean known;

    RevisionTracker(long startRevision) {
        if (startRevision > 0) {
            watermark = startRevision - 1;
            known = true;
        }
    }

    /** The server created the watch; {@code headerRevision} is the store revision then. */
    void created(long headerRevision) {
        if (!known) {
            watermark = headerRevision;
            known = true;
        }
    }

    /** The events not yet delivered, in order; advances the watermark past them. */
    List<WatchEvent> accept(List<WatchEvent> events) {
        int first = 0;
        while (first < events.size() && events.get(first).kv().modRevision() <= watermark) {
            first++;
        }
        if (first == events.size()) {
            return List.of();
        }
        List<WatchEvent> fresh = first == 0 ? events : List.copyOf(events.subList(first, events.size()));
        watermark = Math.max(watermark, fresh.get(fresh.size() - 1).kv().modRevision());
        known = true;
        return fresh;
    }

    /** The watch's own progress notification: everything up to {@code revision} was sent. */
    void progress(long revision) {
        if (revision > watermark) {
            watermark = revision;
            known = true;
        }
    }

    /** The start revision to re-create the watch with; 0 when it never got going (start "now"). */
    long resumeRevision() {
        return known ? watermark + 1 : 0;
    }

    long watermark() {
        return watermark;
    }
}
