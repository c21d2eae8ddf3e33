package dev.etcdj.client;

/**
 * How a client spreads its calls over its endpoints: makes each client its own
 * {@link EndpointSelector}, so that one policy can configure many clients. Set it with
 * {@link ClientBuilder#endpointPolicy(EndpointPolicy)}; a lambda that returns a new selector is a
 * policy.
 *
 * <p>Whatever the policy, a call that failed because its endpoint was unreachable is retried on the
 * endpoint the selector chooses next (see {@link ClientBuilder#retry}), and a long-lived stream
 * (watch, keep-alive) stays on the endpoint chosen when it was opened until it breaks, then is
 * opened again on the next choice. Go's clientv3 3.4 behaves the same: its round-robin balancer
 * picks a connected endpoint for each RPC, and a stream keeps the connection it was opened on.
 */
@FunctionalInterface
public interface EndpointPolicy {

    /**
     * A new selector for one client; called once per client (and once per view made by
     * {@link EtcdClient#forEndpoint(String)}).
     *
     * @return a selector no other client uses
     */
    EndpointSelector newSelector();

    /**
     * The default, as Go's clientv3 3.4 balancer: every attempt goes to the next connected endpoint
     * in turn, so that calls spread over all healthy members; while none is connected, to the next
     * endpoint in turn.
     *
     * @return the round-robin policy
     */
    static EndpointPolicy roundRobin() {
        return RoundRobinSelector.POLICY;
    }

    /**
     * Pinned: every call goes to one endpoint (the first one, at first) for as long as it stays
     * connected; when it fails or is not connected, the next connected endpoint in order becomes
     * the pinned one. Fewer connections do the work, as with Go's clientv3 before 3.4.
     *
     * @return the pinned-first policy
     */
    static EndpointPolicy pinned() {
        return PinnedSelector.POLICY;
    }
}
