package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
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
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Watches of one shape share a server watch: a scripted server numbers the watches of each stream
 * from 0, answers creates at a revision the test sets, records every request, and sends the events
 * the test tells it to, on the watch IDs it names (also on IDs the client has cancelled, to show
 * such events are dropped, not delivered twice).
 */
class WatchSharingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Waits for a condition the client's threads bring about, polling it. */
    private static void until(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime() - deadline).as("condition not met within %s", WAIT).isNegative();
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    private final List<WatchRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong createdAt = new AtomicLong(10);
    private volatile StreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> call;
    private final AtomicInteger streams = new AtomicInteger();
    private Server server;
    private GrpcTransport transport;
    private WatchClientImpl watch;

    @BeforeEach
    void start() throws Exception {
        WatchGrpc.WatchImplBase service = new WatchGrpc.WatchImplBase() {
            @Override
            public StreamObserver<WatchRequest> watch(StreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> out) {
                call = out;
                streams.incrementAndGet();
                AtomicInteger ids = new AtomicInteger();
                return new StreamObserver<>() {
                    @Override
                    public void onNext(WatchRequest request) {
                        requests.add(request);
                        synchronized (out) {
                            if (request.hasCreateRequest()) {
                                out.onNext(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                                        .setHeader(ResponseHeader.newBuilder().setRevision(createdAt.get()))
                                        .setWatchId(ids.getAndIncrement()).setCreated(true).build());
                            } else if (request.hasCancelRequest()) {
                                out.onNext(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                                        .setHeader(ResponseHeader.newBuilder().setRevision(createdAt.get()))
                                        .setWatchId(request.getCancelRequest().getWatchId()).setCanceled(true).build());
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        // The client went away.
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                };
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        transport = new GrpcTransport(EtcdClient.builder().endpoints("http://127.0.0.1:" + server.getPort())
                .retry(3, Duration.ofMillis(10), Duration.ofMillis(50)).config());
        watch = new WatchClientImpl(transport, true);
    }

    @AfterEach
    void stop() throws Exception {
        watch.close();
        transport.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Sends one event at {@code revision} on the server watch {@code id}. */
    private void event(long id, long revision) {
        send(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(revision)).setWatchId(id)
                .addEvents(Event.newBuilder().setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                        .setModRevision(revision).setValue(ByteString.copyFromUtf8("v" + revision))))
                .build());
    }

    private void send(dev.etcdj.proto.etcdserverpb.WatchResponse response) {
        StreamObserver<dev.etcdj.proto.etcdserverpb.WatchResponse> out = call;
        synchronized (out) {
            out.onNext(response);
        }
    }

    private List<Long> cancels() {
        return requests.stream().filter(WatchRequest::hasCancelRequest)
                .map(r -> r.getCancelRequest().getWatchId()).toList();
    }

    private List<Long> createRevisions() {
        return requests.stream().filter(WatchRequest::hasCreateRequest)
                .map(r -> r.getCreateRequest().getStartRevision()).toList();
    }

    /** A listener that records the revisions of its events, and its progress responses as negative revisions. */
    private static final class Heard implements WatchListener {
        final List<Long> revisions = new CopyOnWriteArrayList<>();
        final CompletableFuture<EtcdException> error = new CompletableFuture<>();

        @Override
        public void onNext(WatchResponse response) {
            if (response.events().isEmpty()) {
                revisions.add(-response.header().revision());
            }
            response.events().forEach(e -> revisions.add(e.kv().modRevision()));
        }

        @Override
        public void onError(EtcdException e) {
            error.complete(e);
        }
    }

    private Watcher created(Heard heard) throws Exception {
        Watcher w = watch.watch(WatchSpec.of("k"), heard);
        w.created().get(10, TimeUnit.SECONDS);
        return w;
    }

    /** Two watches of "k", the second riding on the first one's server watch. */
    private void createdSharing(Heard a, Heard b) throws Exception {
        created(a);
        created(b);
        until(() -> cancels().equals(List.of(1L)));
    }

    @Test
    void watchesOfOneShapeShareTheFirstOnesServerWatchAndEachHearsEveryEventOnce() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        Heard c = new Heard();
        created(a);
        created(b);
        created(c);
        until(() -> cancels().equals(List.of(1L, 2L)));
        assertThat(watch.createdCount()).as("server watches still in use").isEqualTo(1);

        event(1, 11);       // sent on a cancelled watch before the cancel arrived: dropped
        event(0, 11);
        event(0, 12);
        for (Heard h : List.of(a, b, c)) {
            until(() -> h.revisions.size() >= 2);
        }
        event(0, 13);
        for (Heard h : List.of(a, b, c)) {
            until(() -> h.revisions.equals(List.of(11L, 12L, 13L)));
        }
        assertThat(streams.get()).isEqualTo(1);
    }

    @Test
    void aWatchThatFindsItsHeadAheadStaysOnItsOwnUntilItHasCaughtUp() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        created(a);
        event(0, 11);
        until(() -> a.revisions.equals(List.of(11L)));

        created(b);         // created at revision 10: it still needs 11, which the head has passed
        assertThat(cancels()).as("it must not join a head that is ahead of it").isEmpty();

        event(1, 11);       // its own server watch catches it up...
        until(() -> cancels().equals(List.of(1L)));   // ...and then it joins
        event(1, 12);       // in flight on its cancelled watch: comes through the head too
        event(0, 12);
        until(() -> a.revisions.size() == 2 && b.revisions.size() == 2);
        assertThat(a.revisions).containsExactly(11L, 12L);
        assertThat(b.revisions).containsExactly(11L, 12L);
    }

    @Test
    void aHeadClosedByItsUserHandsItsServerWatchToARider() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        Heard c = new Heard();
        Watcher wa = created(a);
        Watcher wb = created(b);
        Watcher wc = created(c);
        // Keeps the stream open after the last of the three closes (the last watch closes the stream instead).
        watch.watch(WatchSpec.of("other"), new Heard()).created().get(10, TimeUnit.SECONDS);
        until(() -> cancels().equals(List.of(1L, 2L)));

        wa.close();
        event(0, 11);
        until(() -> b.revisions.equals(List.of(11L)) && c.revisions.equals(List.of(11L)));
        assertThat(a.revisions).isEmpty();
        assertThat(cancels()).as("the server watch goes on for the riders").containsExactly(1L, 2L);

        wb.close();
        event(0, 12);
        until(() -> c.revisions.equals(List.of(11L, 12L)));
        wc.close();
        until(() -> cancels().equals(List.of(1L, 2L, 0L)));
        assertThat(b.revisions).containsExactly(11L);
    }

    @Test
    void whenTheServerCancelsTheHeadItsRidersAreCreatedAgainOnTheirOwn() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        createdSharing(a, b);
        event(0, 11);
        until(() -> b.revisions.equals(List.of(11L)));

        send(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(11)).setWatchId(0).setCanceled(true)
                .setCancelReason("rpc error: code = PermissionDenied desc = etcdserver: permission denied").build());
        assertThat(a.error.get(10, TimeUnit.SECONDS)).hasMessageContaining("permission denied");
        until(() -> createRevisions().size() == 3);
        assertThat(createRevisions()).as("the rider resumes from the revision after its last").containsExactly(0L, 0L, 12L);

        event(2, 12);
        until(() -> b.revisions.equals(List.of(11L, 12L)));
        assertThat(b.error).isNotDone();
        assertThat(a.revisions).containsExactly(11L);
    }

    @Test
    void afterAReconnectEachWatchIsCreatedAgainFromItsOwnRevisionAndSharesAgain() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        createdSharing(a, b);
        event(0, 11);
        until(() -> a.revisions.equals(List.of(11L)) && b.revisions.equals(List.of(11L)));

        createdAt.set(11);
        call.onError(Status.UNAVAILABLE.withDescription("dropped").asRuntimeException());
        until(() -> createRevisions().size() == 4);
        assertThat(createRevisions().subList(2, 4)).containsExactly(12L, 12L);
        until(() -> cancels().equals(List.of(1L, 1L)));   // the second stream's ID 1 joins its ID 0

        event(0, 12);
        until(() -> a.revisions.size() == 2 && b.revisions.size() == 2);
        assertThat(a.revisions).containsExactly(11L, 12L);
        assertThat(b.revisions).containsExactly(11L, 12L);
        assertThat(streams.get()).isEqualTo(2);
    }

    @Test
    void aProgressNotificationOfTheHeadAndOneForTheWholeStreamReachEveryRider() throws Exception {
        Heard a = new Heard();
        Heard b = new Heard();
        createdSharing(a, b);
        send(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(15)).setWatchId(0).build());
        send(dev.etcdj.proto.etcdserverpb.WatchResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(16)).setWatchId(-1).build());
        until(() -> a.revisions.size() == 2 && b.revisions.size() == 2);
        assertThat(a.revisions).containsExactly(-15L, -16L);
        assertThat(b.revisions).containsExactly(-15L, -16L);
    }

    @Test
    void watchesOfDifferentShapesKeepServerWatchesOfTheirOwn() throws Exception {
        watch.watch(WatchSpec.of("k"), new Heard()).created().get(10, TimeUnit.SECONDS);
        watch.watch(WatchSpec.of("k", dev.etcdj.client.Options.prevKv()), new Heard()).created().get(10, TimeUnit.SECONDS);
        watch.watch(WatchSpec.of("k", dev.etcdj.client.Options.prefix()), new Heard()).created().get(10, TimeUnit.SECONDS);
        watch.watch(WatchSpec.of("k2"), new Heard()).created().get(10, TimeUnit.SECONDS);
        assertThat(cancels()).isEmpty();
        assertThat(watch.createdCount()).isEqualTo(4);
    }
}
