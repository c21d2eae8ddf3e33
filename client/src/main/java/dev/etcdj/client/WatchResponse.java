package dev.etcdj.client;

import java.util.List;

/**
 * Events of a watch, in revision order. A response without events is a progress notification:
 * everything up to {@code header().revision()} has been delivered.
 */
public record WatchResponse(ResponseHeader header, List<WatchEvent> events) {
    public WatchResponse {
        events = List.copyOf(events);
    }

    public boolean isProgressNotify() {
        return events.isEmpty();
    }
}
