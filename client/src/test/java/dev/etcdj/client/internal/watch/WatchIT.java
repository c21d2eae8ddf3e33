package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Options;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.testing.EtcdProcess;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch client against a real etcd: every option, errors, progress, fragments, backpressure, multiplexing. */
class WatchIT {

    static final Duration T = Duration.ofSeconds(15);
    static EtcdProcess etcd;
    static Kv kv;

    TestTransport transport;
    WatchClientImpl watch;

    @BeforeAll
    static void startEtcd() {
        // Small requests make etcd fragment a large catch-up; a short interval makes progress notifications testable.
        etcd = EtcdProcess.builder().name("watch-it")
                .args("--max-request-bytes=65536", "--experimental-watch-progress-notify-interval=500ms").build();
        etcd.start();
        kv = new Kv(etcd.endpoint());
    }

    @AfterAll
    static void stopEtcd() {
        if (kv != null) {
            kv.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void client() {
        transport = new TestTransport(etcd.endpoint());
        watch = new WatchClientImpl(transport);
    }

    @AfterEach
    void closeClient() {
        watch.close();
        transport.close();
    }

    /**
     * Watches are created asynchronously; starting them at the next revision makes the events the
     * test writes right after watch() returns arrive however late the create is answered.
     * (Watches from "now" are covered by WatchResumeIT, which waits for them to be live.)
     */
    static Options.Revision next() {
        return Options.revision(kv.revision() + 1);
    }

    @Test
    void keyPrefixRangeAndFromKey() throws Exception {
        Recorder key = new Recorder(), prefix = new Recorder(), range = new Recorder(), fromKey = new Recorder();
        Options.Revision next = next();
        watch.watch("o1/a", key, next);
        watch.watch("o1/p/", prefix, Options.prefix(), next);
        watch.watch("o1/r1", range, Options.range("o1/r3"), next);
        watch.watch("o1/z", fromKey, Options.fromKey(), next);
        long a = kv.put("o1/a", "1");
        kv.put("o1/ab", "no");
        long p1 = kv.put("o1/p/1", "x");
        long p2 = kv.put("o1/p/2", "y");
        long r1 = kv.put("o1/r1", "in");
        long r2 = kv.put("o1/r2", "in");
        kv.put("o1/r3", "out");
        long z = kv.put("o1/z", "1");
        long zz = kv.put("o1/zz", "2");
        long aDel = kv.delete("o1/a");
        key.awaitEvents(2, T);
        prefix.awaitEvents(2, T);
        range.awaitEvents(2, T);
        fromKey.awaitEvents(2, T);
        assertThat(key.revisions()).containsExactly(a, aDel);
        assertThat(key.events()).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
        assertThat(key.events().get(0).kv().value().toStringUtf8()).isEqualTo("1");
        assertThat(prefix.revisions()).containsExactly(p1, p2);
        assertThat(range.revisions()).containsExactly(r1, r2);
        assertThat(fromKey.revisions()).containsExactly(z, zz);
        assertThat(watch.streamsOpened()).isEqualTo(1);
    }

    @Test
    void startRevisionReplaysHistoryWithPrevKv() throws Exception {
        long first = kv.put("o2/k", "v1");
        kv.put("o2/k", "v2");
        long del = kv.delete("o2/k");
        Recorder r = new Recorder();
        Watcher w = watch.watch("o2/k", r, Options.revision(first), Options.prevKv());
        r.awaitEvents(3, T);
        List<WatchEvent> ev = r.events();
        assertThat(r.revisions()).containsExactly(first, first + 1, del);
        assertThat(ev.get(0).prevKv()).isEmpty();
        assertThat(ev.get(1).prevKv().orElseThrow().value().toStringUtf8()).isEqualTo("v1");
        assertThat(ev.get(2).type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(ev.get(2).prevKv().orElseThrow().value().toStringUtf8()).isEqualTo("v2");
        assertThat(w.lastRevision()).isEqualTo(del);
    }

    @Test
    void filtersDropPutsOrDeletes() throws Exception {
        Recorder noPut = new Recorder(), noDelete = new Recorder();
        Options.Revision next = next();
        watch.watch("o3/", noPut, Options.prefix(), Options.noPut(), next);
        watch.watch("o3/", noDelete, Options.prefix(), Options.noDelete(), next);
        long put = kv.put("o3/k", "v");
        long del = kv.delete("o3/k");
        long put2 = kv.put("o3/k", "again");
        noPut.awaitEvents(1, T);
        noDelete.awaitEvents(2, T);
        assertThat(noPut.revisions()).containsExactly(del);
        assertThat(noDelete.revisions()).containsExactly(put, put2);
    }

    @Test
    void progressNotificationsAndProgressRequests() throws Exception {
        Recorder notified = new Recorder(), asked = new Recorder();
        Watcher w = watch.watch("o4/quiet", notified, Options.progressNotify());
        watch.watch("o4/other", asked);
        // the server's interval is 500 ms; the watch is idle, so progress responses come by themselves
        notified.await(() -> !notified.responses().isEmpty(), T);
        WatchResponse p = notified.responses().get(0);
        assertThat(p.isProgressNotify()).isTrue();
        assertThat(p.header().revision()).isGreaterThan(0);
        assertThat(w.lastRevision()).isGreaterThanOrEqualTo(p.header().revision());

        long rev = kv.put("o4/unrelated", "x");
        // the reply goes to the watches created by then: ask until "asked" is one of them
        for (int i = 0; i < 50 && asked.responses().isEmpty(); i++) {
            watch.requestProgress();
            try {
                asked.await(() -> !asked.responses().isEmpty(), Duration.ofMillis(200));
            } catch (AssertionError notYet) {
                // not created yet
            }
        }
        asked.await(() -> asked.responses().stream().anyMatch(r -> r.isProgressNotify() && r.header().revision() >= rev), T);
        assertThat(asked.events()).isEmpty();
    }

    @Test
    void closeCancelsOnTheServerAndEndsWithOnClosed() throws Exception {
        Recorder r = new Recorder();
        Watcher w = watch.watch("o5/k", r, next());
        long rev = kv.put("o5/k", "1");
        r.awaitEvents(1, T);
        w.close();
        w.terminated().get();
        assertThat(r.closed).isDone();
        kv.put("o5/k", "2");
        // a second watch on the same stream proves the stream still works and the first one got nothing more
        Recorder probe = new Recorder();
        watch.watch("o5/k", probe, Options.revision(rev));
        probe.awaitEvents(2, T);
        assertThat(r.revisions()).containsExactly(rev);
        assertThat(r.terminals()).isEqualTo(1);
        assertThat(r.misbehaved()).isFalse();
        w.close();      // idempotent
        assertThat(r.terminals()).isEqualTo(1);
    }

    @Test
    void compactedStartRevisionEndsWithCompactedException() throws Exception {
        long old = kv.put("o6/k", "1");
        long last = kv.put("o6/k", "2");
        kv.compact(last);
        Recorder r = new Recorder();
        Watcher w = watch.watch("o6/k", r, Options.revision(old));
        EtcdException e = r.error.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(CompactedException.class);
        assertThat(((CompactedException) e).compactRevision()).isGreaterThanOrEqualTo(last);
        w.terminated().get();
        assertThat(r.terminals()).isEqualTo(1);
        assertThat(r.events()).isEmpty();
    }

    @Test
    void serverSideCancelEndsWithItsReason() throws Exception {
        Recorder r = new Recorder();
        watch.watch("o7/b", r, Options.range("o7/a"));     // end before key: etcd refuses the range
        EtcdException e = r.error.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e.getMessage()).contains("watcher range is empty");
        // the stream goes on for others
        Recorder ok = new Recorder();
        watch.watch("o7/k", ok, next());
        long rev = kv.put("o7/k", "v");
        ok.awaitEvents(1, T);
        assertThat(ok.revisions()).containsExactly(rev);
    }

    @Test
    void fragmentedCatchUpIsJoinedIntoOneResponse() throws Exception {
        String value = "v".repeat(1000);
        long first = 0;
        for (int i = 0; i < 700; i++) {       // ~700 KB > 64 KiB + 512 KiB: etcd must fragment it
            long rev = kv.put("o8/k" + i, value);
            first = first == 0 ? rev : first;
        }
        assertThat(rawMessageCount("o8/", first, 700)).as("etcd itself sends the catch-up in pieces").isGreaterThan(1);

        Recorder r = new Recorder();
        watch.watch("o8/", r, Options.prefix(), Options.revision(first), Options.fragment());
        r.awaitEvents(700, T);
        assertThat(r.responses()).hasSize(1);
        assertThat(r.revisions()).hasSize(700).isSorted().doesNotHaveDuplicates();
    }

    /** Counts the messages etcd sends for a fragmented watch, on a raw stream without our client. */
    private int rawMessageCount(String prefix, long from, int events) throws Exception {
        AtomicInteger messages = new AtomicInteger(), seen = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<WatchRequest> req = WatchGrpc.newStub(transport.channel()).watch(new StreamObserver<>() {
            @Override
            public void onNext(dev.etcdj.proto.etcdserverpb.WatchResponse r) {
                if (!r.getCreated()) {
                    messages.incrementAndGet();
                    if (seen.addAndGet(r.getEventsCount()) >= events) {
                        done.countDown();
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(prefix)).setRangeEnd(ByteString.copyFromUtf8(prefix.substring(0, prefix.length() - 1) + "0"))
                .setStartRevision(from).setFragment(true)).build());
        assertThat(done.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        req.onCompleted();
        return messages.get();
    }

    @Test
    void aSlowListenerStopsTheStreamInsteadOfBuffering() throws Exception {
        watch.close();
        watch = new WatchClientImpl(transport, 50, 1 << 20);
        CountDownLatch gate = new CountDownLatch(1);
        List<Long> got = new ArrayList<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        // Bound: the limit plus the read-ahead (one message at this limit). etcd batches up to 1000 revisions into one response for
        // a watcher it had to set aside (which is what a client that stops reading becomes), so the
        // load must be well above limit + 1000 for the bound to mean anything.
        int n = 2500;
        watch.watch("o9/", resp -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (got) {
                resp.events().forEach(e -> got.add(e.kv().modRevision()));
                if (got.size() >= n) {
                    all.complete(null);
                }
            }
        }, Options.prefix(), next());
        long first = -1;
        for (int i = 0; i < n; i++) {
            long rev = kv.put("o9/k", Integer.toString(i));
            first = first < 0 ? rev : first;
            if (i > 1100) {
                assertThat(watch.pendingEvents()).as("backlog stays bounded").isLessThanOrEqualTo(50 + 1000);
            }
        }
        // events reach the client asynchronously: on a busy machine it may still be catching up
        Awaitility.await().atMost(T).until(watch::isPaused);
        gate.countDown();
        all.get(30, java.util.concurrent.TimeUnit.SECONDS);
        List<Long> expected = new ArrayList<>();
        for (long r = first; r < first + n; r++) {
            expected.add(r);
        }
        synchronized (got) {
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void aThousandWatchersShareOneStream() throws Exception {
        int n = 1000;
        long streamsBefore = metric("etcd_debugging_mvcc_watch_stream_total");
        List<Recorder> recorders = new ArrayList<>();
        // creates go one at a time: a start revision makes a watch created after the put still see it
        long from = kv.revision() + 1;
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            watch.watch("o10/" + (i % 10), r, Options.prefix(), Options.revision(from));
        }
        long rev = kv.put("o10/0x", "to a tenth of them");
        long rev2 = kv.put("o10/", "to none");
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                recorders.get(i).awaitEvents(1, T);
                assertThat(recorders.get(i).revisions()).containsExactly(rev);
            }
        }
        assertThat(rev2).isGreaterThan(rev);
        assertThat(metric("etcd_debugging_mvcc_watch_stream_total") - streamsBefore).isEqualTo(1);
        assertThat(metric("etcd_debugging_mvcc_watcher_total")).isGreaterThanOrEqualTo(n);
        assertThat(watch.streamsOpened()).isEqualTo(1);
    }

    static long metric(String name) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(etcd.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(resp.body());
        if (!m.find()) {
            throw new AssertionError("no metric " + name);
        }
        return (long) Double.parseDouble(m.group(1));
    }
}
