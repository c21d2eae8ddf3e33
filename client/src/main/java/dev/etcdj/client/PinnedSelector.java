package dev.etcdj.client;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link EndpointPolicy#pinned()}'s selector: the pinned endpoint while it is connected and has not
 * failed, else the next connected one after it in order, which becomes the pinned one.
 */
final class PinnedSelector implements EndpointSelector {

    static final EndpointPolicy POLICY = new BuiltInPolicy("pinned", PinnedSelector::new);

    /** The pinned endpoint and whether an attempt on it failed since; endpoint null before the first call. */
    private record Pin(String endpoint, boolean failed) {}

    private final AtomicReference<Pin> pin = new AtomicReference<>(new Pin(null, false));

    @Override
    public int select(List<EndpointCandidate> endpoints) {
        Pin current = pin.get();
        int n = endpoints.size();
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (endpoints.get(i).endpoint().equals(current.endpoint())) {
                at = current.failed() ? (i + 1) % n : i;
                break;
            }
        }
        int chosen = at;
        for (int j = 0; j < n; j++) {
            int i = (at + j) % n;
            if (endpoints.get(i).connected()) {
                chosen = i;
                break;
            }
        }
        // Lost to a concurrent move: that one's choice stands, this attempt still gets a fine endpoint.
        pin.compareAndSet(current, new Pin(endpoints.get(chosen).endpoint(), false));
        return chosen;
    }

    @Override
    public void failed(String endpoint) {
        Pin current = pin.get();
        if (endpoint.equals(current.endpoint()) && !current.failed()) {
            pin.compareAndSet(current, new Pin(endpoint, true));
        }
    }

    @Override
    public String toString() {
        return "pinned";
    }
}
