package dev.etcdj.client.internal.lease;

import java.util.concurrent.TimeUnit;

/**
 * When to renew one lease and when to give up on it; pure arithmetic on {@code System.nanoTime()}
 * values, so it can be tested without clocks or servers.
 *
 * <p>A renewal is due a third of the TTL after the last answer (as clientv3 does), leaving two
 * more thirds for retries. The deadline is when the lease surely expires on the server without
 * another renewal: the TTL counted from the oldest request still unanswered on the current stream
 * when the answer came (the server renewed at or after that moment). Before the first answer the TTL is unknown, so
 * {@link #FIRST_ANSWER_TIMEOUT_NANOS} stands in for it.
 */
final class RenewalSchedule {

    /** How long to wait for the very first answer, when the lease's TTL is not yet known. */
    static final long FIRST_ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Never renew more often than this, whatever the TTL. */
    static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A request that got no answer is resent after at most this long (the stream may have lost it). */
    static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private long ttlNanos;          // 0 until the first answer
    private long nextRenewalAt;
    private long deadline;
    private long oldestUnansweredAt;
    private boolean unanswered;

    RenewalSchedule(long now) {
        nextRenewalAt = now;
        deadline = now + FIRST_ANSWER_TIMEOUT_NANOS;
    }

    /** The renewal interval for a TTL in seconds: a third of it, but not below the minimum. */
    static long interval(long ttlSeconds) {
        return Math.max(MIN_INTERVAL_NANOS, TimeUnit.SECONDS.toNanos(ttlSeconds) / 3);
    }

    /** A request was sent now. */
    void sent(long now) {
        if (!unanswered) {
            unanswered = true;
            oldestUnansweredAt = now;
        }
        long retry = ttlNanos == 0 ? TimeUnit.SECONDS.toNanos(1) : Math.min(MAX_RETRY_NANOS, interval(ttlNanos / 1_000_000_000L));
        nextRenewalAt = now + Math.max(MIN_INTERVAL_NANOS, retry);
    }

    /**
     * A new stream replaced the one the unanswered requests went out on: they were lost with it,
     * and an answer from now on is to a request sent on the new stream. Without this, the deadline
     * after a reconnect would count from a request the server never saw, falling before the next
     * renewal.
     */
    void requestsLost() {
        unanswered = false;
    }

    /**
     * The server answered now that the lease lives on with this TTL (seconds, > 0). Returns how long
     * the oldest request it answers waited (0 when none was outstanding).
     */
    long renewed(long now, long ttlSeconds) {
        long lag = unanswered ? now - oldestUnansweredAt : 0;
        boolean firstAnswer = ttlNanos == 0;
        ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
        long renewedAt = unanswered ? oldestUnansweredAt : now;
        unanswered = false;
        long newDeadline = renewedAt + ttlNanos;
        // The stand-in deadline before the first answer is no real bound; later ones only move forward.
        deadline = firstAnswer || newDeadline - deadline > 0 ? newDeadline : deadline;
        // Normally a third of the TTL from now; sooner when a slow answer left less than two thirds.
        nextRenewalAt = now + Math.min(interval(ttlSeconds), Math.max(MIN_INTERVAL_NANOS, (deadline - now) / 2));
        return lag;
    }

    boolean renewalDue(long now) {
        return now - nextRenewalAt >= 0;
    }

    boolean pastDeadline(long now) {
        return now - deadline >= 0;
    }

    /** When the lease's timer should next fire: for a renewal or for giving up. */
    long nextWakeup(boolean canSend) {
        return canSend && nextRenewalAt - deadline < 0 ? nextRenewalAt : deadline;
    }

    long deadline() {
        return deadline;
    }

    long nextRenewalAt() {
        return nextRenewalAt;
    }
}
