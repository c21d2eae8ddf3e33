package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

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
import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * once the listener returns, every event arrives, in order, once.
 */
class WatchBacklogTest {

    private static final int EVENTS = 3_000;
    private static final int LIMIT = 200;
    /** Large enough that the events (12 MiB) overflow every HTTP/2 window on the way. */
    private static final ByteString VALUE = ByteString.copyFrom(new byte[4096]);

    private Server server;
    private final AtomicInteger sent = new AtomicInteger();
    private GrpcTransport transport;
    private WatchClientImpl watch;

    @BeforeEach
    void start() throws Exception {
        WatchGrpc.WatchImplBase service = new WatchGrpc.WatchImplBase() {
            @Override
            public StreamObserver<WatchRequest> watch(StreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> out) {
                ServerCallStreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> call =
                        (ServerCallStreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse>) out;
                AtomicBoolean created = new AtomicBoolean();
                // Sends only while the transport is ready: what piles up is in the client.
                Runnable send = () -> {
                    while (created.get() && call.isReady() && sent.get() < EVENTS) {
                        call.onNext(response(false, sent.incrementAndGet()));
                    }
                };
                call.setOnReadyHandler(send);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(WatchRequest request) {
                        if (request.hasCreateRequest() && created.compareAndSet(false, true)) {
                            call.onNext(response(true, 0));
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
    void aStuckListenerStopsTheReadingAndNothingIsLostWhenItReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> revisions = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(1);
        Watcher w = watch.watch(WatchSpec.of("k"), new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                response.events().forEach(e -> revisions.add(e.kv().modRevision()));
                if (revisions.size() == EVENTS) {
                    all.countDown();
                }
            }
        });

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!watch.isPaused() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // not a spin: the client's threads need the cores
        }
        assertThat(watch.isPaused()).as("the stream stops reading past the limit (%d pending, %d sent)",
                watch.pendingEvents(), sent.get()).isTrue();
        // Paused: the reads already asked for may still land, and no more.
        int readAhead = Math.max(1, LIMIT / 100);
        long bound = LIMIT + readAhead + 1;
        assertThat(watch.pendingEvents()).isLessThanOrEqualTo(bound);
        assertThat(sent.get()).as("the server is held back, not the client buffering everything").isLessThan(EVENTS);

        release.countDown();
        assertThat(all.await(30, TimeUnit.SECONDS)).as("every event arrives").isTrue();
        assertThat(revisions).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            assertThat(revisions.get(i)).isEqualTo(i + 1L);
        }
        assertThat(watch.pendingEvents()).isZero();
        w.close();
    }

    private static dev.etcdj.proto.etcdserverpb.WatchResponse response(boolean created, long revision) {
        dev.etcdj.proto.etcdserverpb.WatchResponse.Builder b = dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                // Created at revision 0, as on an empty store: the events from 1 on are all new.
                .setHeader(ResponseHeader.newBuilder().setRevision(revision))
                .setWatchId(0)
                .setCreated(created);
        if (!created) {
            b.addEvents(Event.newBuilder().setType(Event.EventType.PUT).setKv(KeyValue.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setValue(VALUE)
                    .setCreateRevision(1).setModRevision(revision).setVersion(revision)));
        }
        return b.build();
    }
}
