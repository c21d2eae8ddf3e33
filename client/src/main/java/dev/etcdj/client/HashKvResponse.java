package dev.etcdj.client;

/** A CRC-32C of the key space up to a revision, and the compact revision it started from. */
public record HashKvResponse(ResponseHeader header, long hash, long compactRevision) {}
