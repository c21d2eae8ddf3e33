package dev.etcdj.client;

import java.util.List;

/**
 * The keys a get found. {@code count} is the number of keys in the range (before limit and the
 * min/max filters); {@code more} says the limit left some out.
 */
public record GetResponse(ResponseHeader header, List<KeyValue> kvs, boolean more, long count) implements OpResponse {
    public GetResponse {
        kvs = List.copyOf(kvs);
    }
}
