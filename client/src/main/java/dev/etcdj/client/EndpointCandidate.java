package dev.etcdj.client;

import java.util.Objects;

/**
 * One of the client's endpoints as an {@link EndpointSelector} sees it when choosing where the next
 * call goes.
 *
 * @param endpoint the endpoint as given to the builder (or learnt by {@link EtcdClient#sync()})
 * @param connected whether the client holds an established connection to it right now
 */
public record EndpointCandidate(String endpoint, boolean connected) {

    /**
     * Checks the endpoint is there.
     *
     * @throws NullPointerException when {@code endpoint} is null
     */
    public EndpointCandidate {
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
