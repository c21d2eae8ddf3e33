package dev.etcdj.client;

/** The answer of the old leader once leadership was handed over: only its header. */
public record MoveLeaderResponse(ResponseHeader header) {}
