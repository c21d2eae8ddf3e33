package dev.etcdj.client.internal.watch;

import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import java.util.List;

/**
 * One message of the Watch stream, decoded straight from the wire into the public types (see
 * {@link WatchMessageDecoder}): etcd's {@code WatchResponse} with its events already
 * {@link WatchEvent}s. {@code events} is immutable; {@code wireSize} is the message's encoded
 * size, what the client's backlog counts in bytes.
 */
record WatchMessage(ResponseHeader header, long watchId, boolean created, boolean canceled, long compactRevision,
                    String cancelReason, boolean fragment, List<WatchEvent> events, int wireSize) {
}
