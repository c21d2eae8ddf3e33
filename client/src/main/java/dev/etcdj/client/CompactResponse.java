package dev.etcdj.client;

/** A compaction's result. */
public record CompactResponse(ResponseHeader header) {}
