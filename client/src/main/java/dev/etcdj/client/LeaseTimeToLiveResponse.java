package dev.etcdj.client;

import java.util.List;

/**
 * A lease's state: whole seconds left ({@code -1} when the lease does not exist), the TTL it was
 * granted, and its keys when asked for.
 */
public record LeaseTimeToLiveResponse(ResponseHeader header, long leaseId, long ttl, long grantedTtl, List<Bytes> keys) {
    public LeaseTimeToLiveResponse {
        keys = List.copyOf(keys);
    }
}
