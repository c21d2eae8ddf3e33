package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import dev.etcdj.client.internal.GrpcTransport;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watch stream's backpressure, seen against a scripted server in this JVM that sends events as
 * fast as gRPC's flow control lets it: with a listener that does not return, the client stops
 * reading once its backlog passes the limit, and holds no more than the limit plus the read-ahead;
 * once the listener returns, every event arrives, in order, once. With watches on two streams
 * (a stream takes {@link WatchClientImpl#WATCHES_PER_STREAM} before the next opens) the limit holds
 * over both together.
 */
class WatchBacklogTest {

    private static final int EVENTS = 2_000;
    private static final int LIMIT = 200;
    /** Large enough that the events (8 MiB a stream) overflow every HTTP/2 window on the way. */
    private static final ByteString VALUE = ByteString.copyFrom(new byte[4096]);

    private Server server;
    /** Events sent on each stream, in the order the streams opened. */
    private final List<AtomicInteger> sent = new CopyOnWriteArrayList<>();
    private GrpcTransport transport;
    private WatchClientImpl watch;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedWatchServer.start(call -> {
            AtomicInteger mine = new AtomicInteger();
            sent.add(mine);
            AtomicBoolean created = new AtomicBoolean();
            // Events for the stream's first watch (ID 0), only while the transport is ready.
            Runnable send = () -> {
                while (created.get() && call.isReady() && mine.get() < EVENTS) {
                    call.onNext(event(mine.incrementAndGet()));
                }
            };
            call.setOnReadyHandler(send);
            return id -> {
                created.set(true);
                send.run();
            };
        });
        transport = new GrpcTransport(EtcdClient.builder()
                .endpoints("http://127.0.0.1:" + server.getPort()).config());
        watch = new WatchClientImpl(transport, LIMIT, 64L << 20, false);
    }

    @AfterEach
    void stop() throws Exception {
        watch.close();
        transport.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Holds every response until {@code release} opens, then notes its revisions in {@code heard},
     * counting {@code full} down once it heard all {@link #EVENTS}.
     */
    private record StuckListener(CountDownLatch release, List<Long> heard, CountDownLatch full)
            implements WatchListener {
        @Override
        public void onNext(WatchResponse response) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            response.events().forEach(e -> heard.add(e.kv().modRevision()));
            if (heard.size() == EVENTS) {
                full.countDown();
            }
        }
    }

    @Test
    void aStuckListenerStopsTheReadingAndNothingIsLostWhenItReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> revisions = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(1);
        Watcher w = watch.watch(WatchSpec.of("k"), new StuckListener(release, revisions, all));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!watch.isPaused() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // not a spin: the client's threads need the cores
        }
        assertThat(watch.isPaused()).as("the stream stops reading past the limit (%d pending, %d sent)",
                watch.pendingEvents(), sentTotal()).isTrue();
        // Paused: the reads already asked for may still land, and no more.
        int readAhead = Math.max(1, LIMIT / 100);
        long bound = LIMIT + readAhead + 1;
        assertThat(watch.pendingEvents()).isLessThanOrEqualTo(bound);
        assertThat(sentTotal()).as("the server is held back, not the client buffering everything").isLessThan(EVENTS);

        release.countDown();
        assertThat(all.await(30, TimeUnit.SECONDS)).as("every event arrives").isTrue();
        assertThat(revisions).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            assertThat(revisions.get(i)).isEqualTo(i + 1L);
        }
        awaitNoBacklog();   // a listener's response is released just after it returns
        assertThat(watch.pendingEvents()).isZero();
        w.close();
    }

    @Test
    void stuckListenersOnTwoStreamsStayWithinTheLimitAndNothingIsLostWhenTheyReturn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int n = WatchClientImpl.WATCHES_PER_STREAM + 1;
        List<List<Long>> revisions = new ArrayList<>();
        List<Watcher> watchers = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(2);
        for (int i = 0; i < n; i++) {
            List<Long> heard = new CopyOnWriteArrayList<>();
            revisions.add(heard);
            watchers.add(watch.watch(WatchSpec.of("k"), new StuckListener(release, heard, all)));
        }
        // Placed when made, not when the server confirms: the confirmations of the first stream's later
        // watches queue behind events the stuck listener holds back.
        assertThat(watch.streamsOpened()).as("a second stream opens past %d watches", n - 1).isEqualTo(2);

        // The first watch of each stream gets events: watcher 0 on the first, the last one on the second.
        // The streams share the connection's HTTP/2 window, which the unread responses of a paused stream
        // hold: the other stream may be starved rather than paused, so wait for one pause.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!watch.isPaused() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // not a spin: the client's threads need the cores
        }
        assertThat(watch.isPaused()).as("a stream stops reading past the limit").isTrue();
        int readAhead = Math.max(1, LIMIT / 100);
        long bound = LIMIT + 2L * (readAhead + 1);
        assertThat(watch.pendingEvents()).as("the limit holds over both streams").isLessThanOrEqualTo(bound);
        assertThat(sentTotal()).as("the server is held back, not the client buffering everything")
                .isLessThan(2L * EVENTS);

        release.countDown();
        assertThat(all.await(30, TimeUnit.SECONDS)).as("every event arrives on both streams").isTrue();
        for (List<Long> heard : List.of(revisions.get(0), revisions.get(n - 1))) {
            assertThat(heard).hasSize(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                assertThat(heard.get(i)).isEqualTo(i + 1L);
            }
        }
        for (int i = 1; i < n - 1; i++) {
            assertThat(revisions.get(i)).as("watch %d got none of the others' events", i).isEmpty();
        }
        awaitNoBacklog();   // a listener's response is released just after it returns
        assertThat(watch.pendingEvents()).isZero();
        watchers.forEach(Watcher::close);
    }

    private void awaitNoBacklog() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (watch.pendingEvents() != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private long sentTotal() {
        return sent.stream().mapToLong(AtomicInteger::get).sum();
    }

    private static dev.etcdj.proto.etcdserverpb.WatchResponse event(long revision) {
        return dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(revision))
                .setWatchId(0)
                .addEvents(Event.newBuilder().setType(Event.EventType.PUT).setKv(KeyValue.newBuilder()
                        .setKey(ByteString.copyFromUtf8("k")).setValue(VALUE)
                        .setCreateRevision(1).setModRevision(revision).setVersion(revision)))
                .build();
    }
}
