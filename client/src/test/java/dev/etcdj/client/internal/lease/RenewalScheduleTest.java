package dev.etcdj.client.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    static final long S = TimeUnit.SECONDS.toNanos(1);
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void renewsAtAThirdOfTheTtlAfterEachAnswer() {
        long t0 = 1_000 * S;
        RenewalSchedule r = new RenewalSchedule(t0);
        assertThat(r.renewalDue(t0)).isTrue();
        r.sent(t0);
        r.renewed(t0 + 5 * MS, 9);
        assertThat(r.nextRenewalAt()).isEqualTo(t0 + 5 * MS + 3 * S);
        assertThat(r.renewalDue(t0 + 3 * S)).isFalse();
        assertThat(r.renewalDue(t0 + 5 * MS + 3 * S)).isTrue();
    }

    @Test
    void theDeadlineCountsFromTheOldestUnansweredRequest() {
        long t0 = 50 * S;
        RenewalSchedule r = new RenewalSchedule(t0);
        r.sent(t0);
        r.sent(t0 + S);     // a retry: the answer may be to the first one
        r.renewed(t0 + 2 * S, 10);
        assertThat(r.deadline()).isEqualTo(t0 + 10 * S);
        assertThat(r.pastDeadline(t0 + 10 * S - 1)).isFalse();
        assertThat(r.pastDeadline(t0 + 10 * S)).isTrue();
    }

    @Test
    void requestsLostWithTheirStreamDoNotCountAfterAReconnect() {
        // TTL 5: answered at 0, renewal sent at 5/3 s, lost when the connection dropped; the new
        // stream resends at 3 s and is answered at once.
        RenewalSchedule r = answeredAt(0, 5);
        long lostAt = r.nextRenewalAt();
        r.sent(lostAt);
        r.requestsLost();
        r.sent(3 * S);
        r.renewed(3 * S + MS, 5);
        assertThat(r.deadline()).as("counted from the resend, not the lost request").isEqualTo(8 * S);
        assertThat(r.nextWakeup(true)).as("the next renewal comes before the deadline")
                .isEqualTo(3 * S + MS + 5 * S / 3).isLessThan(r.deadline());
    }

    @Test
    void aSlowAnswerBringsTheNextRenewalForward() {
        // TTL 3, answered 2.5 s after the request: the server renewed at >= 0, so the lease ends
        // at 3 s at the latest, before a renewal a whole interval (1 s) after the answer.
        RenewalSchedule r = answeredAt(2500 * MS, 3);
        assertThat(r.deadline()).isEqualTo(3 * S);
        assertThat(r.nextRenewalAt()).isEqualTo(2750 * MS);
        assertThat(r.nextWakeup(true)).isEqualTo(2750 * MS);
    }

    @Test
    void beforeTheFirstAnswerTheDeadlineIsTheStandIn() {
        RenewalSchedule r = new RenewalSchedule(0);
        assertThat(r.deadline()).isEqualTo(RenewalSchedule.FIRST_ANSWER_TIMEOUT_NANOS);
        r.sent(0);
        // the first real answer replaces the stand-in even when it is earlier
        r.renewed(10 * MS, 2);
        assertThat(r.deadline()).isEqualTo(2 * S);
    }

    @Test
    void laterAnswersNeverMoveTheDeadlineBack() {
        RenewalSchedule r = answeredAt(MS, 60);
        r.renewed(2 * MS, 2);     // the TTL shrank (lease re-granted shorter): keep the known bound
        assertThat(r.deadline()).isEqualTo(60 * S);
    }

    @Test
    void anUnansweredRequestIsRetriedSoonerThanAThirdOfALongTtl() {
        RenewalSchedule r = answeredAt(0, 3600);
        long due = r.nextRenewalAt();
        assertThat(due).isEqualTo(1200 * S);
        r.sent(due);
        assertThat(r.nextRenewalAt()).isEqualTo(due + RenewalSchedule.MAX_RETRY_NANOS);
    }

    @Test
    void tinyTtlsAreNotRenewedInABusyLoop() {
        assertThat(RenewalSchedule.interval(0)).isEqualTo(RenewalSchedule.MIN_INTERVAL_NANOS);
        assertThat(RenewalSchedule.interval(2)).isEqualTo(2 * S / 3);
    }

    @Test
    void whileTheStreamIsDownOnlyTheDeadlineWakesTheTimer() {
        RenewalSchedule r = answeredAt(0, 30);
        assertThat(r.nextWakeup(true)).isEqualTo(10 * S);
        assertThat(r.nextWakeup(false)).isEqualTo(30 * S);
    }

    /** A schedule that started at 0, sent its first request at 0 and heard the answer {@code (at, ttl)}. */
    private static RenewalSchedule answeredAt(long at, long ttlSeconds) {
        RenewalSchedule r = new RenewalSchedule(0);
        r.sent(0);
        r.renewed(at, ttlSeconds);
        return r;
    }
}
