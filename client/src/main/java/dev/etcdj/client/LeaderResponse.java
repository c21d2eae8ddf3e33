package dev.etcdj.client;

import java.util.Objects;

/**
 * Who leads an election: the leader's key-value (its key, the value it proclaimed, the create
 * revision that placed it first in line, its lease). Answers {@link ElectionClient#leader} and is
 * what {@link ElectionClient#observe} delivers.
 */
public record LeaderResponse(ResponseHeader header, KeyValue kv) {
    public LeaderResponse {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(kv, "kv");
    }
}
