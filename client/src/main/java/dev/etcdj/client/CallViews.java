package dev.etcdj.client;

import java.time.Duration;

/**
 * The per-call views every service client offers. They compose: {@code kv.withTimeout(d).withRequireLeader()}
 * is a view with both, and a {@code blocking()} view of it keeps them.
 *
 * @param <S> the service client's own type
 */
public interface CallViews<S extends CallViews<S>> {

    /**
     * A view of this client whose calls use this deadline instead of the client's default.
     *
     * @param timeout the deadline of each call
     * @return the view
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    S withTimeout(Duration timeout);

    /**
     * A view of this client whose calls are only served by a member that has a leader: on a member
     * without one they fail at once with {@link NoLeaderException} ("etcdserver: no leader")
     * instead of waiting out their deadline; streams opened by the view (watches) end with it. The
     * per-call form of {@link ClientBuilder#requireLeader}, as Go's {@code clientv3.WithRequireLeader}.
     *
     * @return the view
     */
    S withRequireLeader();
}
