package dev.etcdj.client;

import java.util.Objects;

/**
 * A candidacy that won an election ({@link ElectionClient#campaign}): the election's name, the
 * candidate's key under it, the revision that created that key, and the lease the key is on. It is
 * what {@link ElectionClient#proclaim} and {@link ElectionClient#resign} need, and all they need:
 * any client that has it can act for the leader, as with etcd's v3election service.
 */
public record LeaderKey(Bytes name, Bytes key, long revision, long lease) {
    public LeaderKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
    }
}
