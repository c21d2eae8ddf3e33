package dev.etcdj.client;

/** A renewal: the lease and its granted TTL in seconds. */
public record LeaseKeepAliveResponse(ResponseHeader header, long leaseId, long ttl) {}
