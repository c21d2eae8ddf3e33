package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.WatchEvent;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RevisionTrackerTest {

    static WatchEvent ev(long rev) {
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(Bytes.of("k"), Bytes.EMPTY, 1, rev, 1, 0),
                Optional.empty());
    }

    static List<WatchEvent> evs(long... revs) {
        return LongStream.of(revs).mapToObj(RevisionTrackerTest::ev).toList();
    }

    static List<Long> revs(List<WatchEvent> events) {
        return events.stream().map(e -> e.kv().modRevision()).toList();
    }

    @Test
    void aWatchFromNowResumesAfterTheCreationRevision() {
        RevisionTracker t = new RevisionTracker(0);
        assertThat(t.resumeRevision()).isZero();
        t.created(41);
        assertThat(t.resumeRevision()).isEqualTo(42);
        assertThat(revs(t.accept(evs(42, 43)))).containsExactly(42L, 43L);
        assertThat(t.resumeRevision()).isEqualTo(44);
    }

    @Test
    void aWatchFromARevisionResumesThereUntilItGetsEvents() {
        RevisionTracker t = new RevisionTracker(7);
        assertThat(t.resumeRevision()).isEqualTo(7);
        t.created(100);     // a catch-up watch: the creation revision says nothing about it
        assertThat(t.resumeRevision()).isEqualTo(7);
        t.accept(evs(7, 9));
        assertThat(t.resumeRevision()).isEqualTo(10);
    }

    @Test
    void replayedEventsAreDroppedAndNewOnesKeptInOrder() {
        RevisionTracker t = new RevisionTracker(1);
        t.accept(evs(1, 2, 3));
        assertThat(revs(t.accept(evs(2, 3, 4, 5)))).containsExactly(4L, 5L);
        assertThat(t.accept(evs(3, 4, 5))).isEmpty();
        assertThat(t.watermark()).isEqualTo(5);
    }

    @Test
    void eventsOfOneRevisionStayTogether() {
        RevisionTracker t = new RevisionTracker(1);
        t.accept(evs(4));
        // a txn at revision 6 deleting two keys: both events are new
        assertThat(revs(t.accept(evs(4, 6, 6)))).containsExactly(6L, 6L);
        assertThat(t.accept(evs(6, 6))).isEmpty();
    }

    @Test
    void ownProgressMovesTheResumePointForwardOnly() {
        RevisionTracker t = new RevisionTracker(0);
        t.created(10);
        t.progress(20);
        assertThat(t.resumeRevision()).isEqualTo(21);
        t.progress(15);
        assertThat(t.resumeRevision()).isEqualTo(21);
        assertThat(t.accept(evs(18, 21))).extracting(e -> e.kv().modRevision()).containsExactly(21L);
    }
}
