package dev.etcdj.client;

import java.util.List;

public record LeaseListResponse(ResponseHeader header, List<Long> leaseIds) {
    public LeaseListResponse {
        leaseIds = List.copyOf(leaseIds);
    }
}
