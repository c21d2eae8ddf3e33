package dev.etcdj.client.internal.watch;

import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchResponse;
import java.util.List;

/**
 * Hands what one server watch sends to the watches that hear it: the watch it was created for (or
 * that took it over) and the watches riding on it (see {@link WatchSharing}), each only the events
 * it has not had. Runs under the stream's lock.
 */
final class Fanout {

    /** Where a watch's responses go: its delivery queue. */
    interface Queue {
        void enqueue(WatcherImpl w, WatchResponse response, int events, long bytes);
    }

    private Fanout() {}

    /** Events of one or more revisions; {@code bytes} is the message's size on the wire. */
    static void events(WatcherImpl head, ResponseHeader header, List<WatchEvent> events, long bytes, Queue queue) {
        WatchResponse all = deliver(head, header, events, bytes, null, queue);
        if (head.riders != null) {
            for (WatcherImpl rider : head.riders) {
                all = deliver(rider, header, events, bytes, all, queue);
            }
        }
    }

    /**
     * A progress notification. The watch's own ({@code own}) moves resume points; the reply to a
     * progress request for the whole stream does not (see {@link WatchStream}).
     */
    static void progress(WatcherImpl head, ResponseHeader header, long bytes, boolean own, Queue queue) {
        WatchResponse progress = new WatchResponse(header, List.of());
        if (own) {
            head.tracker.progress(header.revision());
        }
        queue.enqueue(head, progress, 1, bytes);
        if (head.riders != null) {
            for (WatcherImpl rider : head.riders) {
                if (own) {
                    rider.tracker.progress(header.revision());
                }
                queue.enqueue(rider, progress, 1, bytes);
            }
        }
    }

    /**
     * Queues the events {@code w} has not had yet; returns the response of all of them, made once
     * and handed to every watch that needs all of them (responses are immutable).
     */
    private static WatchResponse deliver(WatcherImpl w, ResponseHeader header, List<WatchEvent> events, long bytes,
                                         WatchResponse all, Queue queue) {
        List<WatchEvent> fresh = w.tracker.accept(events);
        if (fresh.isEmpty()) {
            return all;
        }
        WatchResponse response;
        if (fresh == events) {
            response = all == null ? new WatchResponse(header, events) : all;
            all = response;
        } else {
            response = new WatchResponse(header, fresh);
        }
        queue.enqueue(w, response, fresh.size(), bytes);
        return all;
    }
}
