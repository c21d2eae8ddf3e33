package dev.etcdj.client;

import java.util.List;

/**
 * Chooses the endpoint of each unary call attempt and of each new stream, for one client; made by
 * an {@link EndpointPolicy}. Called from many threads at once: it must be thread-safe, quick, and
 * must not block.
 *
 * <p>The client calls {@link #select} with every endpoint it currently has, in its order. When no
 * endpoint is connected, the client starts connecting to all of them, and the attempt waits on the
 * one chosen (within its share of the dial timeout) before trying another.
 */
public interface EndpointSelector {

    /**
     * The endpoint for the next attempt.
     *
     * @param endpoints the client's endpoints, never empty, in the client's order
     * @return the index in {@code endpoints} of the one to use; an index out of range is taken modulo
     *     the size
     */
    int select(List<EndpointCandidate> endpoints);

    /**
     * An attempt on {@code endpoint} failed because the endpoint could not serve it (unreachable,
     * no leader, shutting down): the next {@link #select} should prefer another. Default: nothing.
     *
     * @param endpoint the endpoint, as in {@link EndpointCandidate#endpoint()}
     */
    default void failed(String endpoint) {}
}
