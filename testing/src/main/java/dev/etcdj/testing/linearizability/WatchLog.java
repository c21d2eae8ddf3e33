package dev.etcdj.testing.linearizability;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what watchers delivered, for {@link WatchChecker}. A watcher's stream is recorded as one
 * or more segments: a segment starts when a watch is created (at a start revision) and ends when
 * it ends; a watch that is re-created (e.g. after a compaction ended it) starts a new segment.
 * Thread-safe; the events of one segment must be recorded in the order they were delivered.
 */
public final class WatchLog {
    private final List<Segment> segments = new ArrayList<>();

    /** One delivered event; {@code value} null for a delete. */
    public record Event(String key, String value, long revision) {
    }

    /** A watch created on {@code watcher}'s behalf from {@code startRevision} (0: from "now"). */
    public Segment open(String watcher, long startRevision) {
        Segment s = new Segment(watcher, startRevision);
        synchronized (segments) {
            segments.add(s);
        }
        return s;
    }

    /** Every segment so far, in the order opened. */
    public List<Segment> segments() {
        synchronized (segments) {
            return List.copyOf(segments);
        }
    }

    /** The events one watch delivered, in order, and how it ended. */
    public static final class Segment {
        private final String watcher;
        private final long startRevision;
        private final List<Event> events = new ArrayList<>();
        private String end;

        private Segment(String watcher, long startRevision) {
            this.watcher = watcher;
            this.startRevision = startRevision;
        }

        public synchronized void event(String key, String value, long revision) {
            events.add(new Event(key, value, revision));
        }

        /** The watch ended, e.g. {@code "compacted at 120"} or {@code "closed"}. */
        public synchronized void end(String reason) {
            end = reason;
        }

        public String watcher() {
            return watcher;
        }

        public long startRevision() {
            return startRevision;
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        /** How it ended, or null while still open. */
        public synchronized String endReason() {
            return end;
        }

        /** The revision of the last event delivered, or start - 1 when none was. */
        public synchronized long lastRevision() {
            return events.isEmpty() ? startRevision - 1 : events.get(events.size() - 1).revision();
        }

        @Override
        public synchronized String toString() {
            return watcher + "@" + startRevision + " (" + events.size() + " events"
                    + (end == null ? "" : ", " + end) + ")";
        }
    }
}
