package dev.etcdj.client;

/**
 * The answer to {@link AuthClient#status()}: whether auth is on, and the auth store's revision (it
 * moves with every change of users, roles, permissions or the switch itself).
 */
public record AuthStatusResponse(ResponseHeader header, boolean enabled, long authRevision) {}
