package dev.etcdj.client;

import java.util.Optional;

/** A put's result; {@code prevKv} is present when asked for with {@link Options#prevKv()} and the key existed. */
public record PutResponse(ResponseHeader header, Optional<KeyValue> prevKv) implements OpResponse {}
