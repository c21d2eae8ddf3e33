package dev.etcdj.client;

import java.util.Optional;

/**
 * One change: a put (kv holds the new state) or a delete (kv holds the key and the delete's
 * revision as modRevision). {@code prevKv} is the state before, when asked for with
 * {@link Options#prevKv()}.
 */
public record WatchEvent(Type type, KeyValue kv, Optional<KeyValue> prevKv) {
    public enum Type { PUT, DELETE }
}
