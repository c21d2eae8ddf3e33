package dev.etcdj.client;

import java.util.function.Supplier;

/** One of the policies {@link EndpointPolicy} names: a selector per client, and the policy's name. */
final class BuiltInPolicy implements EndpointPolicy {

    private final String name;
    private final Supplier<EndpointSelector> selectors;

    BuiltInPolicy(String name, Supplier<EndpointSelector> selectors) {
        this.name = name;
        this.selectors = selectors;
    }

    @Override
    public EndpointSelector newSelector() {
        return selectors.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
