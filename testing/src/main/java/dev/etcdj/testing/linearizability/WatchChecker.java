package dev.etcdj.testing.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks watch streams against the history of the writes that made them. Assumes what
 * {@link RegisterWorkload} guarantees: every write of the watched range is in the history, each
 * write touches one key and writes a value of its own, so each store revision in the range is one
 * write, found by its key and value. A stream must then be:
 * <ul>
 *   <li><b>ordered</b>: revisions strictly increase within a segment;
 *   <li><b>duplicate-free</b>: no revision delivered twice by one segment;
 *   <li><b>gap-free</b>: consecutive events have consecutive revisions (every revision of the
 *       range belongs to it), and every acknowledged write between a segment's start and its last
 *       event is delivered, at the revision it was acknowledged at;
 *   <li><b>true</b>: each event is a write of the history that was not reported failed, and all
 *       watchers agree on what each revision holds.
 * </ul>
 */
public final class WatchChecker {
    private WatchChecker() {
    }

    /** What was checked and every violation found (empty when the streams are right). */
    public record Result(int segments, long events, int acknowledgedWritesSeen, List<String> anomalies) {
        public Result {
            anomalies = List.copyOf(anomalies);
        }

        public boolean ok() {
            return anomalies.isEmpty();
        }

        public String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(ok() ? "watch streams OK" : "watch streams WRONG").append(": ").append(segments)
                    .append(" segments, ").append(events).append(" events, ").append(acknowledgedWritesSeen)
                    .append(" acknowledged writes seen");
            anomalies.stream().limit(20).forEach(a -> sb.append("\n  ").append(a));
            if (anomalies.size() > 20) {
                sb.append("\n  ... ").append(anomalies.size() - 20).append(" more");
            }
            return sb.toString();
        }
    }

    /** Checks every segment of {@code log} against {@code history}. */
    public static Result check(List<Op> history, WatchLog log) {
        Map<String, Op> writes = new HashMap<>();       // key + NUL + value -> write
        Map<Long, Op> ackedByRevision = new HashMap<>();
        for (Op op : history) {
            if (op.isWrite()) {
                writes.put(op.key() + '\0' + op.value(), op);
                boolean applied = op.outcome() == Op.Outcome.OK && (op.kind() == Op.Kind.WRITE || op.casSucceeded());
                if (applied && op.revision() > 0) {
                    ackedByRevision.put(op.revision(), op);
                }
            }
        }
        List<String> anomalies = new ArrayList<>();
        Map<Long, WatchLog.Event> seen = new HashMap<>();
        Set<Long> ackedSeen = new HashSet<>();
        long events = 0;
        List<WatchLog.Segment> segments = log.segments();
        for (WatchLog.Segment s : segments) {
            List<WatchLog.Event> ev = s.events();
            events += ev.size();
            long prevRev = -1;
            for (WatchLog.Event e : ev) {
                if (s.startRevision() > 0 && e.revision() < s.startRevision()) {
                    anomalies.add(s + ": event at revision " + e.revision() + " before its start revision");
                }
                if (prevRev >= 0 && e.revision() == prevRev) {
                    anomalies.add(s + ": revision " + e.revision() + " delivered twice");
                } else if (prevRev >= 0 && e.revision() < prevRev) {
                    anomalies.add(s + ": revision " + e.revision() + " after " + prevRev + " (out of order)");
                } else if (prevRev >= 0 && e.revision() > prevRev + 1) {
                    anomalies.add(s + ": gap, revisions " + (prevRev + 1) + ".." + (e.revision() - 1) + " missing");
                }
                prevRev = Math.max(prevRev, e.revision());
                WatchLog.Event other = seen.putIfAbsent(e.revision(), e);
                if (other != null && !other.equals(e)) {
                    anomalies.add(s + ": revision " + e.revision() + " is " + e + " here but " + other + " elsewhere");
                }
                Op w = writes.get(e.key() + '\0' + e.value());
                if (w == null) {
                    anomalies.add(s + ": " + e + " matches no write of the history (phantom)");
                } else if (w.outcome() == Op.Outcome.FAIL) {
                    anomalies.add(s + ": " + e + " is a write reported as failed: " + w);
                } else if (w.outcome() == Op.Outcome.OK && w.kind() == Op.Kind.CAS && !w.casSucceeded()) {
                    anomalies.add(s + ": " + e + " is a compare-and-set reported as not applied: " + w);
                } else if (w.revision() > 0 && w.revision() != e.revision()) {
                    anomalies.add(s + ": " + e + " but that write was acknowledged at revision " + w.revision());
                }
                Op acked = ackedByRevision.get(e.revision());
                if (acked != null) {
                    ackedSeen.add(e.revision());
                    if (!Objects.equals(acked.key(), e.key()) || !Objects.equals(acked.value(), e.value())) {
                        anomalies.add(s + ": revision " + e.revision() + " delivered as " + e
                                + " but acknowledged as " + acked);
                    }
                }
            }
            long from = s.startRevision() > 0 ? s.startRevision() : (ev.isEmpty() ? Long.MAX_VALUE : ev.get(0).revision());
            long to = s.lastRevision();
            Set<Long> delivered = new HashSet<>();
            ev.forEach(e -> delivered.add(e.revision()));
            for (Map.Entry<Long, Op> a : ackedByRevision.entrySet()) {
                long r = a.getKey();
                if (r >= from && r <= to && !delivered.contains(r)) {
                    anomalies.add(s + ": acknowledged write at revision " + r + " not delivered: " + a.getValue());
                }
            }
        }
        return new Result(segments.size(), events, ackedSeen.size(), anomalies);
    }
}
