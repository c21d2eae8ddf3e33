package dev.etcdj.testing.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WatchCheckerTest {

    private static Op acked(int id, String key, String value, long revision) {
        return new Op(id, 0, key, Op.Kind.WRITE, value, null, Op.Outcome.OK, null, false, id * 10L, id * 10L + 5,
                revision, null);
    }

    private final List<Op> history = List.of(
            acked(0, "a", "v0", 5), acked(1, "b", "v1", 6),
            new Op(2, 1, "a", Op.Kind.WRITE, "v2", null, Op.Outcome.UNKNOWN, null, false, 20, 0, 0, "timeout"),
            acked(3, "a", "v3", 8),
            new Op(4, 1, "b", Op.Kind.CAS, "v4", "v1", Op.Outcome.OK, null, false, 40, 45, 8, null),
            new Op(5, 1, "b", Op.Kind.WRITE, "v5", null, Op.Outcome.FAIL, null, false, 50, 55, 0, "refused"));

    private static WatchLog log(long start, long... revisionsAndIndexes) {
        WatchLog log = new WatchLog();
        WatchLog.Segment s = log.open("w", start);
        String[][] events = {{"a", "v0"}, {"b", "v1"}, {"a", "v2"}, {"a", "v3"}, {"b", "v4"}, {"b", "v5"}, {"c", "zz"}};
        for (int i = 0; i < revisionsAndIndexes.length; i += 2) {
            String[] e = events[(int) revisionsAndIndexes[i + 1]];
            s.event(e[0], e[1], revisionsAndIndexes[i]);
        }
        return log;
    }

    @Test
    void completeStreamIncludingAnUnansweredWriteThatHappenedPasses() {
        WatchChecker.Result r = WatchChecker.check(history, log(5, 5, 0, 6, 1, 7, 2, 8, 3));
        assertThat(r.anomalies()).isEmpty();
        assertThat(r.acknowledgedWritesSeen()).isEqualTo(3);
        assertThat(r.events()).isEqualTo(4);
    }

    @Test
    void streamStartingLaterPasses() {
        assertThat(WatchChecker.check(history, log(7, 7, 2, 8, 3)).ok()).isTrue();
    }

    @Test
    void gapIsFlagged() {
        assertThat(WatchChecker.check(history, log(5, 5, 0, 8, 3)).anomalies())
                .anyMatch(a -> a.contains("gap, revisions 6..7 missing"))
                .anyMatch(a -> a.contains("acknowledged write at revision 6 not delivered"));
    }

    @Test
    void missingFirstEventIsFlagged() {
        assertThat(WatchChecker.check(history, log(5, 6, 1)).anomalies())
                .anyMatch(a -> a.contains("acknowledged write at revision 5 not delivered"));
    }

    @Test
    void duplicateIsFlagged() {
        assertThat(WatchChecker.check(history, log(5, 5, 0, 6, 1, 6, 1)).anomalies())
                .anyMatch(a -> a.contains("revision 6 delivered twice"));
    }

    @Test
    void outOfOrderIsFlagged() {
        assertThat(WatchChecker.check(history, log(5, 6, 1, 5, 0)).anomalies())
                .anyMatch(a -> a.contains("out of order"));
    }

    @Test
    void phantomFailedAndWrongRevisionAreFlagged() {
        assertThat(WatchChecker.check(history, log(5, 5, 0, 6, 1, 7, 6)).anomalies())
                .anyMatch(a -> a.contains("phantom"));
        assertThat(WatchChecker.check(history, log(5, 5, 0, 6, 1, 7, 5)).anomalies())
                .anyMatch(a -> a.contains("reported as failed"));
        assertThat(WatchChecker.check(history, log(5, 5, 0, 6, 1, 7, 4)).anomalies())
                .anyMatch(a -> a.contains("reported as not applied"));
        assertThat(WatchChecker.check(history, log(5, 5, 0, 6, 1, 7, 3)).anomalies())
                .anyMatch(a -> a.contains("acknowledged at revision 8"));
    }

    @Test
    void watchersThatDisagreeAreFlagged() {
        WatchLog log = log(5, 5, 0, 6, 1);
        WatchLog.Segment other = log.open("w2", 6);
        other.event("a", "v2", 6);
        assertThat(WatchChecker.check(history, log).anomalies())
                .anyMatch(a -> a.contains("here but"));
    }
}
