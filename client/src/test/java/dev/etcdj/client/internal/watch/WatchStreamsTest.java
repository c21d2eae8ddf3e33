package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import dev.etcdj.client.internal.GrpcTransport;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches spread over several streams, against a scripted server in this JVM: a stream takes
 * {@link WatchClientImpl#WATCHES_PER_STREAM} watches before the next opens, and the backlog limit
 * holds over all streams together: with stuck listeners on two streams, both stop reading and the
 * client holds no more than the limit plus each stream's read-ahead; once the listeners return,
 * every event arrives on each, in order, once.
 */
class WatchStreamsTest {

    private static final int EVENTS = 2_000;
    private static final int LIMIT = 200;
    private static final ByteString VALUE = ByteString.copyFrom(new byte[4096]);

    private Server server;
    /** Events sent on each stream, in the order the streams opened. */
    private final List<AtomicInteger> sent = new CopyOnWriteArrayList<>();
    private GrpcTransport transport;
    private WatchClientImpl watch;

    @BeforeEach
    void start() throws Exception {
        WatchGrpc.WatchImplBase service = new WatchGrpc.WatchImplBase() {
            @Override
            public StreamObserver<WatchRequest> watch(StreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> out) {
                ServerCallStreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> call =
                        (ServerCallStreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse>) out;
                AtomicInteger ids = new AtomicInteger();
                AtomicInteger mine = new AtomicInteger();
                sent.add(mine);
                // Events for the stream's first watch (ID 0), only while the transport is ready.
                Runnable send = () -> {
                    while (ids.get() > 0 && call.isReady() && mine.get() < EVENTS) {
                        call.onNext(event(mine.incrementAndGet()));
                    }
                };
                call.setOnReadyHandler(send);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(WatchRequest request) {
                        if (request.hasCreateRequest()) {
                            call.onNext(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                                    .setHeader(ResponseHeader.newBuilder().setRevision(0))
                                    .setWatchId(ids.getAndIncrement()).setCreated(true).build());
                            send.run();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        // The client went away: nothing more to send.
                    }

                    @Override
                    public void onCompleted() {
                        call.onCompleted();
                    }
                };
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        transport = new GrpcTransport(EtcdClient.builder()
                .endpoints("http://127.0.0.1:" + server.getPort()).config());
        watch = new WatchClientImpl(transport, LIMIT, 64L << 20);
    }

    @AfterEach
    void stop() throws Exception {
        watch.close();
        transport.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void stuckListenersOnTwoStreamsStopBothAndNothingIsLostWhenTheyReturn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int n = WatchClientImpl.WATCHES_PER_STREAM + 1;
        List<List<Long>> revisions = new ArrayList<>();
        List<Watcher> watchers = new ArrayList<>();
        CountDownLatch all = new CountDownLatch(2);
        for (int i = 0; i < n; i++) {
            List<Long> heard = new CopyOnWriteArrayList<>();
            revisions.add(heard);
            watchers.add(watch.watch(WatchSpec.of("k"), new WatchListener() {
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
                        all.countDown();
                    }
                }
            }));
        }
        // Placed when made, not when the server confirms: the confirmations of the first stream's later
        // watches queue behind events the stuck listener holds back.
        assertThat(watch.streamsOpened()).as("a second stream opens past %d watches", n - 1).isEqualTo(2);

        // The first watch of each stream gets events: watcher 0 on the first, the last one on the second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(pausedStreams() == 2 || sentTotal() >= 2L * EVENTS) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // not a spin: the client's threads need the cores
        }
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
        assertThat(watch.pendingEvents()).isZero();
        watchers.forEach(Watcher::close);
    }

    private long pausedStreams() {
        return watch.pausedStreams();
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
