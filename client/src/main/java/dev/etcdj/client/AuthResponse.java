package dev.etcdj.client;

/** The answer to an auth change (enable, disable, users, roles, permissions): only its header. */
public record AuthResponse(ResponseHeader header) {}
