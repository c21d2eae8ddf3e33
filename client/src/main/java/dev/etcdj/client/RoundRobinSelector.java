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
        int turn = next.getAndIncrement();
        int connected = 0;
        for (EndpointCandidate e : endpoints) {
            if (e.connected()) {
                connected++;
            }
        }
        if (connected == 0) {
            return Math.floorMod(turn, n);
        }
        // An even turn among the connected ones only, as Go's picker, which holds only ready connections.
        int wanted = Math.floorMod(turn, connected);
        for (int i = 0; i < n; i++) {
            if (endpoints.get(i).connected() && wanted-- == 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable: " + connected + " connected endpoints were counted");
    }

    @Override
    public String toString() {
        return "roundRobin";
    }
}
