package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Options;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches resume by themselves: through an etcd killed and restarted mid-stream and through
 * connections dropped by a proxy, every revision arrives exactly once and in order.
 */
class WatchResumeIT {

    static final Duration T = Duration.ofSeconds(60);

    EtcdProcess etcd;
    Kv kv;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        etcd = EtcdProcess.builder().name("watch-resume").build();
        etcd.start();
        kv = new Kv(etcd.endpoint());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        kv.close();
        etcd.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    /** Puts to one prefix until stopped, riding out failures (a failed put may or may not have applied). */
    final class Writer implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger acked = new AtomicInteger();
        final Thread thread;

        Writer(String prefix) {
            thread = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    try {
                        kv.put(prefix + (i % 10), Integer.toString(i++));
                        acked.incrementAndGet();
                    } catch (RuntimeException e) {
                        // etcd is down or restarting; go on
                    }
                }
            }, "writer");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitAcked(int n) throws InterruptedException {
            dev.etcdj.testing.Await.until(T, "writer made progress", () -> acked.get() >= n);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    /**
     * A watch from "now" is created asynchronously: put a marker until the watch sees one, and
     * return the revision before the first event it saw (the revision it is complete from).
     */
    long awaitLive(Recorder r, String key) throws InterruptedException {
        for (int i = 0; i < 100 && r.events().isEmpty(); i++) {
            kv.put(key, "marker");
            try {
                r.awaitEvents(1, Duration.ofMillis(100));
            } catch (AssertionError notYet) {
                // the create is still on its way
            }
        }
        r.awaitEvents(1, T);
        return r.revisions().get(0) - 1;
    }

    /** Every revision in (from, to] once, in order: only the writer writes. */
    static void assertExactlyOnce(Recorder r, long from, long to) {
        List<Long> got = r.revisions();
        List<String> problems = new ArrayList<>();
        long next = from + 1;
        for (long rev : got) {
            if (rev != next) {
                problems.add("expected " + next + " got " + rev);
            }
            next = Math.max(next, rev + 1);
        }
        if (next != to + 1) {
            problems.add("ended at " + (next - 1) + " instead of " + to);
        }
        assertThat(problems).as("%d events in (%d, %d]", got.size(), from, to).isEmpty();
        assertThat(r.misbehaved()).isFalse();
        assertThat(r.terminals()).isZero();
    }

    @Test
    void everyRevisionExactlyOnceAcrossAKillAndRestart() throws Exception {
        TestTransport transport = closing(new TestTransport(etcd.endpoint()));
        WatchClientImpl watch = closing(new WatchClientImpl(transport));
        Recorder r = new Recorder();
        Watcher w = watch.watch("seq/", r, Options.prefix());
        long from = awaitLive(r, "seq/marker");
        Writer writer = new Writer("seq/");
        writer.awaitAcked(200);
        etcd.kill();
        etcd.start();
        writer.awaitAcked(writer.acked.get() + 200);
        etcd.kill();            // twice: a watch must resume more than once
        etcd.start();
        writer.awaitAcked(writer.acked.get() + 200);
        writer.close();
        long to = kv.revision();
        r.await(() -> w.lastRevision() >= to, T);
        assertExactlyOnce(r, from, to);
        assertThat(transport.failures()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyRevisionExactlyOnceWhileAProxyDropsConnections() throws Exception {
        FaultProxy proxy = closing(FaultProxy.start(etcd.endpoint()));
        TestTransport transport = closing(new TestTransport(proxy.endpoint()));
        WatchClientImpl watch = closing(new WatchClientImpl(transport));
        Recorder r = new Recorder(), fromRev = new Recorder();
        Watcher w = watch.watch("drop/", r, Options.prefix());
        long from = awaitLive(r, "drop/marker");
        Watcher w2 = watch.watch("drop/", fromRev, Options.prefix(), Options.revision(from + 1), Options.prevKv());
        Writer writer = new Writer("drop/");
        int drops = 5;
        for (int i = 0; i < drops; i++) {
            writer.awaitAcked(writer.acked.get() + 100);
            long now = kv.revision();
            r.await(() -> w.lastRevision() >= now, T);     // live again before the next drop
            int failuresBefore = transport.failures();
            proxy.dropConnections();
            // The client notices a reset asynchronously (late on a busy machine): wait for it, so
            // each drop is one the stream really went through and none is merged into the next.
            r.await(() -> transport.failures() > failuresBefore, T);
        }
        // Writes after the last drop: the final wait below needs a stream opened after it.
        writer.awaitAcked(writer.acked.get() + 100);
        writer.close();
        long to = kv.revision();
        r.await(() -> w.lastRevision() >= to && w2.lastRevision() >= to, T);
        assertExactlyOnce(r, from, to);
        assertExactlyOnce(fromRev, from, to);
        assertThat(transport.failures()).isGreaterThanOrEqualTo(drops);
        assertThat(watch.streamsOpened()).isGreaterThanOrEqualTo(drops + 1);
    }

    @Test
    void aResumeIntoCompactedHistoryEndsWithCompactedException() throws Exception {
        FaultProxy proxy = closing(FaultProxy.start(etcd.endpoint()));
        TestTransport transport = closing(new TestTransport(proxy.endpoint()));
        WatchClientImpl watch = closing(new WatchClientImpl(transport));
        Recorder r = new Recorder();
        watch.watch("gone/k", r);
        long seen = awaitLive(r, "gone/k") + 1;
        proxy.blackhole(true);
        kv.put("gone/k", "2");
        long last = kv.put("gone/k", "3");
        kv.compact(last);
        proxy.dropConnections();    // what was held in the blackhole is lost with the connection
        proxy.blackhole(false);
        EtcdException e = r.error.get(30, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(CompactedException.class);
        assertThat(((CompactedException) e).compactRevision()).isEqualTo(last);
        assertThat(r.revisions()).containsExactly(seen);
        assertThat(r.terminals()).isEqualTo(1);
    }

    @Test
    void closingTheClientWhileDisconnectedEndsEveryWatchWithOnClosed() throws Exception {
        TestTransport transport = closing(new TestTransport(etcd.endpoint()));
        WatchClientImpl watch = new WatchClientImpl(transport);
        Recorder a = new Recorder(), b = new Recorder();
        Watcher wa = watch.watch("c/a", a);
        Watcher wb = watch.watch("c/b", b, Options.revision(1));
        awaitLive(a, "c/a");
        etcd.kill();
        watch.close();
        wa.terminated().get(10, TimeUnit.SECONDS);
        wb.terminated().get(10, TimeUnit.SECONDS);
        assertThat(a.closed).isDone();
        assertThat(b.closed).isDone();
        assertThat(a.terminals() + b.terminals()).isEqualTo(2);
        // a watch made on a closed client ends at once, not silently
        Recorder late = new Recorder();
        watch.watch("c/x", late).terminated().get(10, TimeUnit.SECONDS);
        assertThat(late.closed).isDone();
    }
}
