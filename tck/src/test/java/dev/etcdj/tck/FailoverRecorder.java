package dev.etcdj.tck;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records what a watch delivers: every event as (revision, key, value, type) in delivery order,
 * the member that sent the last response, and the terminal error if any.
 */
final class FailoverRecorder implements WatchListener {

    /** One delivered event. */
    record Event(long revision, String key, String value, WatchEvent.Type type) {}

    private final List<Event> events = new ArrayList<>();
    private final AtomicLong lastRevision = new AtomicLong();
    private final AtomicLong lastMemberId = new AtomicLong();
    private final AtomicReference<EtcdException> error = new AtomicReference<>();

    @Override
    public void onNext(WatchResponse response) {
        lastMemberId.set(response.header().memberId());
        synchronized (events) {
            for (WatchEvent e : response.events()) {
                events.add(new Event(e.kv().modRevision(), e.kv().key().toStringUtf8(), e.kv().value().toStringUtf8(),
                        e.type()));
                lastRevision.set(e.kv().modRevision());
            }
        }
    }

    @Override
    public void onError(EtcdException e) {
        error.set(e);
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The revision of the last event delivered; 0 before any. */
    long lastRevision() {
        return lastRevision.get();
    }

    /** The member that sent the last response: the one the watch stream is on. */
    long lastMemberId() {
        return lastMemberId.get();
    }

    EtcdException error() {
        return error.get();
    }

    static List<Long> revisions(List<Event> events) {
        List<Long> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.revision());
        }
        return out;
    }
}
