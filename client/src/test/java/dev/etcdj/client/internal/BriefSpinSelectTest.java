package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a network thread polls and when it sleeps, on a clock and a selector the test drives. */
class BriefSpinSelectTest {

    private static final long SPIN = TimeUnit.MICROSECONDS.toNanos(100);

    private long now = 1_000_000;
    private boolean fewCalls = true;
    /** What the next polls find ready; empty means nothing. */
    private final Deque<Integer> ready = new ArrayDeque<>();
    private int polls;

    private final BriefSpinSelect strategy = new BriefSpinSelect(SPIN, () -> fewCalls, () -> now);

    private int next(boolean hasTasks) throws Exception {
        return strategy.calculateStrategy(() -> {
            polls++;
            return ready.isEmpty() ? 0 : ready.poll();
        }, hasTasks);
    }

    @Test
    void afterWorkItPollsUntilTheWindowHasPassedThenSleeps() throws Exception {
        assertThat(next(true)).isZero(); // tasks waiting: a poll, never a sleep
        assertThat(next(false)).isZero(); // idle from now on: polls
        now += SPIN / 2;
        assertThat(next(false)).isZero();
        now += SPIN / 2;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).isEqualTo(3);
    }

    @Test
    void whatAPollFindsStartsTheWindowAgain() throws Exception {
        next(false);
        now += SPIN - 1;
        ready.add(2);
        assertThat(next(false)).isEqualTo(2);
        now += SPIN - 1; // still within the new window, which started after that work
        assertThat(next(false)).isZero();
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void aSleepIsFollowedByAWindowOfItsOwn() throws Exception {
        next(false);
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        now += TimeUnit.SECONDS.toNanos(1); // asleep until something happened
        assertThat(next(false)).isZero();
        now += SPIN;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void withManyCallsInFlightItSleepsAtOnceButNeverWithTasksWaiting() throws Exception {
        fewCalls = false;
        assertThat(next(false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).isZero();
        ready.add(1);
        assertThat(next(true)).isEqualTo(1);
        fewCalls = true;
        assertThat(next(false)).isZero(); // the window runs from the end of that work
    }

    @Test
    void aZeroSpinSleepsWheneverNoTaskWaits() throws Exception {
        BriefSpinSelect never = new BriefSpinSelect(0, () -> true, () -> now);
        assertThat(never.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(never.calculateStrategy(() -> 3, true)).isEqualTo(3);
        assertThat(never.calculateStrategy(() -> 0, false)).isEqualTo(SelectStrategy.SELECT);
    }
}
