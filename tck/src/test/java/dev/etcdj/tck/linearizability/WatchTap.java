package dev.etcdj.tck.linearizability;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.linearizability.WatchLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One watcher on the workload's prefix, on a client of its own, recorded into a {@link WatchLog}.
 * When a compaction overtakes it, the watch ends with {@code CompactedException} (a gap the user is
 * told about) and a new segment starts at the compact revision, as an application would do.
 */
final class WatchTap implements AutoCloseable {
    private final String name;
    private final String prefix;
    private final EtcdClient client;
    private final WatchLog log;
    private final AtomicInteger compactions = new AtomicInteger();
    private volatile WatchLog.Segment segment;
    private volatile Watcher watcher;
    private volatile EtcdException failure;
    private volatile boolean closed;

    WatchTap(String name, List<String> endpoints, String prefix, WatchLog log, long startRevision) {
        this.name = name;
        this.prefix = prefix;
        this.log = log;
        this.client = EtcdClient.builder().endpoints(endpoints).dialTimeout(Duration.ofSeconds(2)).build();
        open(startRevision);
    }

    private synchronized void open(long from) {
        if (closed) {
            return;
        }
        WatchLog.Segment s = log.open(name, from);
        segment = s;
        watcher = client.watch().watch(prefix, new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                for (WatchEvent e : response.events()) {
                    s.event(e.kv().key().toStringUtf8(),
                            e.type() == WatchEvent.Type.DELETE ? null : e.kv().value().toStringUtf8(),
                            e.kv().modRevision());
                }
            }

            @Override
            public void onError(EtcdException error) {
                if (error instanceof CompactedException c) {
                    s.end("compacted at " + c.compactRevision());
                    compactions.incrementAndGet();
                    open(c.compactRevision());
                } else {
                    s.end("failed: " + error);
                    failure = error;
                }
            }

            @Override
            public void onClosed() {
                s.end("closed");
            }
        }, prefix(), revision(from));
    }

    /** The last revision delivered by the current segment. */
    long lastRevision() {
        return segment.lastRevision();
    }

    /** Times a compaction ended this watch. */
    int compactedRestarts() {
        return compactions.get();
    }

    /** A terminal error other than compaction, or null. */
    EtcdException failure() {
        return failure;
    }

    @Override
    public synchronized void close() {
        closed = true;
        Watcher w = watcher;
        if (w != null) {
            w.close();
        }
        client.close();
    }
}
