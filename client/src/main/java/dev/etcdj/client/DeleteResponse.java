package dev.etcdj.client;

import java.util.List;

/** How many keys a delete removed; {@code prevKvs} holds them when asked for with {@link Options#prevKv()}. */
public record DeleteResponse(ResponseHeader header, long deleted, List<KeyValue> prevKvs) implements OpResponse {
    public DeleteResponse {
        prevKvs = List.copyOf(prevKvs);
    }
}
