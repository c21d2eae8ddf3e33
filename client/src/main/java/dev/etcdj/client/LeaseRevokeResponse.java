package dev.etcdj.client;

public record LeaseRevokeResponse(ResponseHeader header) {}
