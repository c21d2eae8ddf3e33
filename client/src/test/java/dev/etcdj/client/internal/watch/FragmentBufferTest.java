package dev.etcdj.client.internal.watch;

import static dev.etcdj.client.internal.watch.RevisionTrackerTest.evs;
import static dev.etcdj.client.internal.watch.RevisionTrackerTest.revs;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FragmentBufferTest {

    @Test
    void anUnfragmentedResponsePassesThrough() {
        FragmentBuffer b = new FragmentBuffer();
        assertThat(revs(b.add(evs(3, 4), false))).containsExactly(3L, 4L);
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void piecesAreHeldUntilTheLastOne() {
        FragmentBuffer b = new FragmentBuffer();
        assertThat(b.add(evs(3, 4), true)).isNull();
        assertThat(b.add(evs(5), true)).isNull();
        assertThat(b.isEmpty()).isFalse();
        assertThat(revs(b.add(evs(6, 7), false))).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(b.isEmpty()).isTrue();
        assertThat(revs(b.add(evs(8), false))).containsExactly(8L);
    }

    @Test
    void resetDropsAHalfReceivedResponse() {
        FragmentBuffer b = new FragmentBuffer();
        b.add(evs(3, 4), true);
        b.reset();
        assertThat(revs(b.add(evs(3, 4, 5), false))).containsExactly(3L, 4L, 5L);
    }
}
