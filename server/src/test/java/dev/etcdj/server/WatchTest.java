package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.WatchCancelRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchProgressRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatchTest extends ServerTestBase {

    @Override
    protected EtcdServer.Builder configure(EtcdServer.Builder b) {
        return b.progressNotifyInterval(Duration.ofMillis(300));
    }

    /** A watch stream collecting responses. */
    /** A new stream with one watch, its created response taken. */
    private Stream watching(WatchCreateRequest.Builder b) throws InterruptedException {
        Stream s = new Stream();
        s.create(b);
        assertThat(s.next().getCreated()).as("created response").isTrue();
        return s;
    }

    final class Stream implements AutoCloseable {
        final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
        final StreamObserver<WatchRequest> requests;
        ClientCallStreamObserver<WatchRequest> call;

        Stream(boolean manualFlow) {
            requests = watch.watch(ServerTestBase.<WatchRequest, WatchResponse>collect(responses, r -> {
                call = r;
                if (manualFlow) {
                    r.disableAutoRequestWithInitial(1);
                }
            }));
        }

        Stream() {
            this(false);
        }

        void create(WatchCreateRequest.Builder b) {
            requests.onNext(WatchRequest.newBuilder().setCreateRequest(b).build());
        }


        WatchResponse next() throws InterruptedException {
            WatchResponse r = responses.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("watch response").isNotNull();
            return r;
        }

        @Override
        public void close() {
            call.cancel("done", null);
        }
    }

    @Test
    void createdThenOneRevisionPerLiveResponse() throws Exception {
        Stream s = new Stream();
        put("x", "0");
        s.create(WatchCreateRequest.newBuilder().setKey(bs("a")).setRangeEnd(bs("c")).setPrevKv(true));
        WatchResponse created = s.next();
        assertThat(created.getCreated()).isTrue();
        assertThat(created.getWatchId()).isZero();
        assertThat(created.getHeader().getRevision()).isEqualTo(2);
        put("a", "1");
        put("b", "1");
        put("a", "2");
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("a")).build());
        for (int rev = 3; rev <= 6; rev++) {
            WatchResponse r = s.next();
            assertThat(r.getEventsCount()).isEqualTo(1);
            assertThat(r.getHeader().getRevision()).isEqualTo(rev);
            assertThat(r.getEvents(0).getKv().getModRevision()).isEqualTo(rev);
        }
        s.create(WatchCreateRequest.newBuilder().setKey(bs("b")));
        assertThat(s.next().getWatchId()).isEqualTo(1);
        s.close();
    }

    @Test
    void prevKvAndDeleteEventShape() throws Exception {
        try (Stream s = watching(WatchCreateRequest.newBuilder().setKey(bs("k")).setPrevKv(true))) {
            put("k", "1");
            put("k", "2");
            kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("k")).build());
            Event e1 = s.next().getEvents(0);
            assertThat(e1.hasPrevKv()).isFalse();
            Event e2 = s.next().getEvents(0);
            assertThat(str(e2.getPrevKv().getValue())).isEqualTo("1");
            Event d = s.next().getEvents(0);
            assertThat(d.getType()).isEqualTo(Event.EventType.DELETE);
            assertThat(d.getKv().getModRevision()).isEqualTo(4);
            assertThat(d.getKv().getVersion()).isZero();
            assertThat(d.getKv().getValue().isEmpty()).isTrue();
            assertThat(str(d.getPrevKv().getValue())).isEqualTo("2");
        }
    }

    @Test
    void historyCatchUpAndFilters() throws Exception {
        for (int i = 0; i < 5; i++) {
            put("h", "v" + i); // revs 2..6
        }
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("h")).build()); // 7
        Stream s = watching(WatchCreateRequest.newBuilder().setKey(bs("h")).setStartRevision(3));
        List<Event> got = new ArrayList<>();
        while (got.size() < 5) {
            WatchResponse r = s.next();
            assertThat(r.getHeader().getRevision()).isEqualTo(7);
            got.addAll(r.getEventsList());
        }
        assertThat(got).extracting(e -> e.getKv().getModRevision()).containsExactly(3L, 4L, 5L, 6L, 7L);
        s.create(WatchCreateRequest.newBuilder().setKey(bs("h")).setStartRevision(2)
                .addFilters(WatchCreateRequest.FilterType.NOPUT));
        assertThat(s.next().getCreated()).isTrue();
        WatchResponse onlyDel = s.next();
        assertThat(onlyDel.getEventsList()).extracting(Event::getType).containsExactly(Event.EventType.DELETE);
        // future start revision
        s.create(WatchCreateRequest.newBuilder().setKey(bs("f")).setStartRevision(10).setWatchId(7));
        assertThat(s.next().getWatchId()).isEqualTo(7);
        put("f", "a"); // 8
        put("f", "b"); // 9
        put("f", "c"); // 10
        WatchResponse fr = s.next();
        assertThat(fr.getWatchId()).isEqualTo(7);
        assertThat(fr.getEvents(0).getKv().getModRevision()).isEqualTo(10);
        s.close();
    }

    @Test
    void compactedStartCancelAndErrors() throws Exception {
        put("a", "1");
        put("a", "2");
        put("a", "3");
        kv.compact(CompactionRequest.newBuilder().setRevision(3).setPhysical(true).build());
        Stream s = new Stream();
        s.create(WatchCreateRequest.newBuilder().setKey(bs("a")).setStartRevision(2));
        WatchResponse c = s.next();
        assertThat(c.getCreated()).isTrue();
        WatchResponse cancel = s.next();
        assertThat(cancel.getCanceled()).isTrue();
        assertThat(cancel.getCompactRevision()).isEqualTo(3);
        assertThat(cancel.getHeader().getRevision()).isZero();
        assertThat(cancel.getCancelReason()).isEmpty();

        s.create(WatchCreateRequest.newBuilder().setKey(bs("a")).setStartRevision(3));
        WatchResponse ok = s.next();
        assertThat(ok.getCreated()).isTrue();
        assertThat(s.next().getEvents(0).getKv().getModRevision()).isEqualTo(3);

        s.create(WatchCreateRequest.newBuilder().setKey(bs("b")).setWatchId(ok.getWatchId()));
        WatchResponse dup = s.next();
        assertThat(dup.getWatchId()).isEqualTo(-1);
        assertThat(dup.getCreated()).isTrue();
        assertThat(dup.getCanceled()).isTrue();
        assertThat(dup.getCancelReason()).isEqualTo("mvcc: duplicate watch ID provided on the WatchStream");

        s.create(WatchCreateRequest.newBuilder().setKey(bs("b")).setRangeEnd(bs("a")));
        assertThat(s.next().getCancelReason()).isEqualTo("mvcc: watcher range is empty");

        s.requests.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder()
                .setWatchId(ok.getWatchId())).build());
        WatchResponse canceled = s.next();
        assertThat(canceled.getCanceled()).isTrue();
        assertThat(canceled.getWatchId()).isEqualTo(ok.getWatchId());
        assertThat(canceled.getHeader().getRevision()).isEqualTo(4);
        put("a", "x");
        s.requests.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        WatchResponse progress = s.next();
        assertThat(progress.getWatchId()).isEqualTo(-1);
        assertThat(progress.getHeader().getRevision()).isEqualTo(5);
        s.close();
    }

    @Test
    void progressNotify() throws Exception {
        Stream s = watching(WatchCreateRequest.newBuilder().setKey(bs("p")).setProgressNotify(true));
        put("other", "1");
        WatchResponse r;
        do { // a tick may fire before the put is applied: wait for one that reports it
            r = s.next();
            assertThat(r.getEventsCount()).isZero();
            assertThat(r.getWatchId()).isZero();
        } while (r.getHeader().getRevision() < 2);
        assertThat(r.getHeader().getRevision()).isEqualTo(2);
        s.close();
    }

    @Test
    void slowStreamDoesNotBlockWritersAndCatchesUpInOrder() throws Exception {
        Stream slow = new Stream(true); // reads only when asked
        slow.create(WatchCreateRequest.newBuilder().setKey(bs("s")).setRangeEnd(bs("t")));
        assertThat(slow.next().getCreated()).isTrue();
        Stream fast = new Stream();
        fast.create(WatchCreateRequest.newBuilder().setKey(bs("s")).setRangeEnd(bs("t")));
        assertThat(fast.next().getCreated()).isTrue();
        int n = 3000;
        String value = "x".repeat(1000);
        for (int i = 0; i < n; i++) {
            kv.put(PutRequest.newBuilder().setKey(bs("s" + (i % 50))).setValue(bs(value)).build());
        }
        long last = 1;
        int events = 0;
        while (events < n) {
            WatchResponse r = fast.next();
            for (Event e : r.getEventsList()) {
                assertThat(e.getKv().getModRevision()).isEqualTo(last + 1);
                last = e.getKv().getModRevision();
                events++;
            }
        }
        // now drain the slow one: every revision exactly once, in order
        slow.call.request(Integer.MAX_VALUE);
        last = 1;
        events = 0;
        while (events < n) {
            WatchResponse r = slow.next();
            long prev = -1;
            for (Event e : r.getEventsList()) {
                assertThat(e.getKv().getModRevision()).isEqualTo(last + 1);
                last = e.getKv().getModRevision();
                events++;
            }
            assertThat(prev).isEqualTo(-1);
        }
        assertThat(slow.responses.poll(200, TimeUnit.MILLISECONDS)).isNull();
        slow.close();
        fast.close();
    }

    @Test
    void slowWatcherOvertakenByCompactionIsCanceledWithoutGaps() throws Exception {
        Stream slow = new Stream(true); // the initial request(1) lets just the created response through
        slow.create(WatchCreateRequest.newBuilder().setKey(bs("s")).setRangeEnd(bs("t")));
        assertThat(slow.next().getCreated()).isTrue();
        String value = "x".repeat(1000);
        int n = 3000;
        for (int i = 0; i < n; i++) {
            kv.put(PutRequest.newBuilder().setKey(bs("s" + (i % 50))).setValue(bs(value)).build());
        }
        long compactRev = rev();
        kv.compact(dev.etcdj.proto.etcdserverpb.CompactionRequest.newBuilder().setRevision(compactRev)
                .setPhysical(true).build());
        slow.call.request(Integer.MAX_VALUE);
        long last = 1;
        while (true) {
            WatchResponse r = slow.next();
            if (r.getCanceled()) {
                assertThat(r.getCompactRevision()).isEqualTo(compactRev);
                break;
            }
            for (Event e : r.getEventsList()) {
                assertThat(e.getKv().getModRevision()).isEqualTo(last + 1);
                last = e.getKv().getModRevision();
            }
        }
        assertThat(last).isLessThan(compactRev);
        slow.close();
    }

    @Test
    void tenThousandWatchers() throws Exception {
        int n = 10_000;
        Stream s = new Stream();
        for (int i = 0; i < n; i++) {
            s.create(WatchCreateRequest.newBuilder().setKey(bs("w" + (i % 100))));
        }
        for (int i = 0; i < n; i++) {
            assertThat(s.next().getCreated()).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            put("w" + i, "v");
        }
        Map<Long, Integer> perWatcher = new HashMap<>();
        int total = 0;
        while (total < n) {
            WatchResponse r = s.next();
            perWatcher.merge(r.getWatchId(), r.getEventsCount(), Integer::sum);
            total += r.getEventsCount();
        }
        assertThat(perWatcher).hasSize(n);
        assertThat(perWatcher.values()).allMatch(v -> v == 1);
        s.close();
    }
}
