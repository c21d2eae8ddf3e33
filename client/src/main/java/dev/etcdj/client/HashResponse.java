package dev.etcdj.client;

/** A CRC-32C of the member's whole backend, as an unsigned 32-bit value. */
public record HashResponse(ResponseHeader header, long hash) {}
