package dev.etcdj.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The base of every service client: it runs on a {@link Transport}, the client's or a view's, and
 * makes its {@code withTimeout} and {@code withRequireLeader} views by building the same service on
 * the view's transport, so the views of all services compose the same way.
 *
 * @param <S> the service's public interface
 */
public abstract class ServiceView<S> {

    protected final Transport transport;
    /** The same service on a view's transport, sharing whatever state the service keeps (streams, managers). */
    private final Function<Transport, S> on;

    protected ServiceView(Transport transport, Function<Transport, S> on) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.on = on;
    }

    /**
     * A view whose calls use this deadline instead of the client's default.
     *
     * @param timeout positive
     * @return the view
     */
    public S withTimeout(Duration timeout) {
        return on.apply(transport.withTimeout(timeout));
    }

    /**
     * A view whose calls fail with "no leader" on a member that has no leader.
     *
     * @return the view
     */
    public S withRequireLeader() {
        return on.apply(transport.withRequireLeader());
    }

    /** The deadline of a wait (lock, campaign) that names none: none on the client, the view's on a withTimeout view. */
    protected Duration waitTimeout(Duration unbounded) {
        Duration t = transport.settings().timeout();
        return t == null ? unbounded : t;
    }
}
