package dev.etcdj.client;

/** A granted lease: its ID and TTL in seconds (which the server may have raised to its minimum). */
public record LeaseGrantResponse(ResponseHeader header, long leaseId, long ttl) {}
