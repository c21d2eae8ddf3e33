package dev.etcdj.client;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link EndpointPolicy#roundRobin()}'s selector: the next connected endpoint in turn. */
final class RoundRobinSelector implements EndpointSelector {

    static final EndpointPolicy POLICY = new BuiltInPolicy("roundRobin", RoundRobinSelector::new);

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public int select(List<EndpointCandidate> endpoints) {
        int n = endpoints.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int j = 0; j < n; j++) {
            int i = (start + j) % n;
            if (endpoints.get(i).connected()) {
                return i;
            }
        }
        return start;
    }

    @Override
    public String toString() {
        return "roundRobin";
    }
}
