package dev.etcdj.client;

import java.util.Objects;

/**
 * The answer to {@link LockClient#lock}: the lock is held, by {@code key}. The key lives under the
 * lock's name ({@code <name>/<lease id in hex>}) on the lease given, and holding the lock means
 * owning it: {@link LockClient#unlock} with it releases the lock, and so does the lease's end.
 */
public record LockResponse(ResponseHeader header, Bytes key) {
    public LockResponse {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(key, "key");
    }
}
