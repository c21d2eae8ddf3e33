package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import dev.etcdj.client.internal.GrpcTransport;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several creates are in flight on one watch stream, and each {@code created} response goes to the
 * oldest of them: also when a watcher closes or is refused in the middle, and when the stream fails
 * with creates in flight and queued. The test plays the server, answering when it chooses, on one
 * {@link WatchStream} used directly.
 */
class WatchCreatePipelineTest {

    private static final long TIMEOUT_S = 30;

    /** One watch stream as the server sees it; the test thread answers on it. */
    static final class ServerStream {
        final StreamObserver<WatchResponse> out;
        final BlockingQueue<WatchCreateRequest> creates = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> cancels = new LinkedBlockingQueue<>();

        ServerStream(StreamObserver<WatchResponse> out) {
            this.out = out;
        }

        WatchCreateRequest nextCreate() throws InterruptedException {
            WatchCreateRequest r = creates.poll(TIMEOUT_S, TimeUnit.SECONDS);
            assertThat(r).as("a create request").isNotNull();
            return r;
        }

        void created(long id, long revision) {
            out.onNext(WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(revision))
                    .setWatchId(id).setCreated(true).build());
        }

        /** As etcd refuses a watch on a key the user may not read. */
        void refused() {
            out.onNext(WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(1))
                    .setWatchId(-1).setCreated(true).setCanceled(true)
                    .setCancelReason("rpc error: code = PermissionDenied desc = etcdserver: permission denied").build());
        }

        void event(long id, String key, long revision) {
            out.onNext(WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(revision))
                    .setWatchId(id)
                    .addEvents(Event.newBuilder().setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key))
                            .setModRevision(revision).setValue(ByteString.copyFromUtf8(key + "@" + revision))))
                    .build());
        }
    }

    /** What one watcher heard. */
    static final class Heard implements WatchListener {
        final List<String> values = new ArrayList<>();     // guarded by this
        final CompletableFuture<EtcdException> error = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void onNext(dev.etcdj.client.WatchResponse response) {
            synchronized (this) {
                response.events().forEach(e -> values.add(e.kv().value().toStringUtf8()));
                notifyAll();
            }
        }

        synchronized List<String> values() {
            return List.copyOf(values);
        }

        /** Waits until as many values as expected arrived (or the timeout), then checks them. */
        void await(List<String> expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            synchronized (this) {
                long left;
                while (values.size() < expected.size() && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            }
            assertThat(values()).isEqualTo(expected);
        }

        @Override
        public void onError(EtcdException e) {
            error.complete(e);
        }

        @Override
        public void onClosed() {
            closed.complete(null);
        }
    }

    private final BlockingQueue<ServerStream> streams = new LinkedBlockingQueue<>();
    private Server server;
    private GrpcTransport transport;
    private WatchClientImpl watch;
    /** One stream, used directly: the client would spread the watches over several. */
    private WatchStream stream;

    @BeforeEach
    void start() throws Exception {
        WatchGrpc.WatchImplBase service = new WatchGrpc.WatchImplBase() {
            @Override
            public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
                ServerStream s = new ServerStream(out);
                streams.add(s);
                return new StreamObserver<>() {
                    @Override
                    public void onNext(WatchRequest r) {
                        if (r.hasCreateRequest()) {
                            s.creates.add(r.getCreateRequest());
                        } else if (r.hasCancelRequest()) {
                            s.cancels.add(r.getCancelRequest().getWatchId());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        // the client went away
                    }

                    @Override
                    public void onCompleted() {
                        // like etcd: a half-closed stream stays until cancelled
                    }
                };
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        transport = new GrpcTransport(EtcdClient.builder().endpoints("http://127.0.0.1:" + server.getPort()).config());
        watch = new WatchClientImpl(transport, true);
        stream = new WatchStream(watch, transport, 100, true);
    }

    @AfterEach
    void stop() throws Exception {
        stream.close();
        watch.close();
        transport.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private ServerStream nextStream() throws InterruptedException {
        ServerStream s = streams.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertThat(s).as("a watch stream").isNotNull();
        return s;
    }

    private static String key(int i) {
        return "k" + i;
    }

    private List<Heard> watchKeys(int n, List<Watcher> watchers) {
        List<Heard> heard = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Heard h = new Heard();
            heard.add(h);
            WatcherImpl w = new WatcherImpl(stream, WatchSpec.of(key(i)), h);
            assertThat(stream.add(w)).isTrue();
            watchers.add(w);
        }
        return heard;
    }

    private static void awaitValues(Heard h, List<String> expected) throws InterruptedException {
        h.await(expected);
    }

    @Test
    void createsArePipelinedUpToTheLimitAndEachCreatedGoesToTheOldest() throws Exception {
        int n = 3 * WatchStream.MAX_CREATES_IN_FLIGHT + 7;
        List<Watcher> watchers = new ArrayList<>();
        List<Heard> heard = watchKeys(n, watchers);
        ServerStream s = nextStream();
        // The first window arrives without a single answer: no round trip per create.
        List<WatchCreateRequest> sent = new ArrayList<>();
        for (int i = 0; i < WatchStream.MAX_CREATES_IN_FLIGHT; i++) {
            sent.add(s.nextCreate());
        }
        assertThat(s.creates.poll(200, TimeUnit.MILLISECONDS)).as("no more than the limit in flight").isNull();
        // Each answer lets one more create go; IDs are numbered from 100 so they differ from the indexes.
        for (int i = 0; i < n; i++) {
            s.created(100 + i, 1);
            if (sent.size() < n) {
                sent.add(s.nextCreate());
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(sent.get(i).getKey().toStringUtf8()).as("creates in the order the watches were made").isEqualTo(key(i));
        }
        for (int i = n - 1; i >= 0; i--) {
            s.event(100 + i, key(i), 2 + i);
        }
        for (int i = 0; i < n; i++) {
            watchers.get(i).created().get(TIMEOUT_S, TimeUnit.SECONDS);
            awaitValues(heard.get(i), List.of(key(i) + "@" + (2 + i)));
        }
        assertThat(stream.streamsOpened()).isEqualTo(1);
        assertThat(stream.createdCount()).isEqualTo(n);
    }

    @Test
    void aWatcherClosedWhileItsCreateIsInFlightHasItsIdCancelled() throws Exception {
        List<Watcher> watchers = new ArrayList<>();
        List<Heard> heard = watchKeys(5, watchers);
        ServerStream s = nextStream();
        for (int i = 0; i < 5; i++) {
            s.nextCreate();
        }
        watchers.get(2).close();
        heard.get(2).closed.get(TIMEOUT_S, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            s.created(10 + i, 1);
        }
        assertThat(s.cancels.poll(TIMEOUT_S, TimeUnit.SECONDS)).as("the closed watcher's ID").isEqualTo(12L);
        for (int i = 0; i < 5; i++) {
            s.event(10 + i, key(i), 5);
        }
        for (int i : new int[] {0, 1, 3, 4}) {
            awaitValues(heard.get(i), List.of(key(i) + "@5"));
        }
        assertThat(heard.get(2).values()).isEmpty();
        assertThat(s.cancels).as("no other watch cancelled").isEmpty();
        assertThat(stream.createdCount()).isEqualTo(4);
    }

    @Test
    void aRefusedCreateInTheMiddleEndsOnlyItsOwnWatcher() throws Exception {
        List<Watcher> watchers = new ArrayList<>();
        List<Heard> heard = watchKeys(5, watchers);
        ServerStream s = nextStream();
        for (int i = 0; i < 5; i++) {
            s.nextCreate();
        }
        s.created(0, 1);
        s.created(1, 1);
        s.refused();        // the third create: IDs go on from 2 for the fourth
        s.created(2, 1);
        s.created(3, 1);
        assertThat(heard.get(2).error.get(TIMEOUT_S, TimeUnit.SECONDS)).isInstanceOf(PermissionDeniedException.class);
        int[] ids = {0, 1, -1, 2, 3};
        for (int i : new int[] {0, 1, 3, 4}) {
            s.event(ids[i], key(i), 5);
        }
        for (int i : new int[] {0, 1, 3, 4}) {
            awaitValues(heard.get(i), List.of(key(i) + "@5"));
            assertThat(heard.get(i).error).isNotDone();
        }
        assertThat(heard.get(2).values()).isEmpty();
        assertThat(stream.createdCount()).isEqualTo(4);
    }

    @Test
    void aStreamFailingWithCreatesInFlightCreatesEveryWatchAgainInOrder() throws Exception {
        int n = WatchStream.MAX_CREATES_IN_FLIGHT + 36;     // some created, some in flight, some queued
        int createdFirst = 30;
        List<Watcher> watchers = new ArrayList<>();
        List<Heard> heard = watchKeys(n, watchers);
        ServerStream s1 = nextStream();
        for (int i = 0; i < createdFirst; i++) {
            s1.nextCreate();
            s1.created(i, 4);
            s1.event(i, key(i), 5);
        }
        for (int i = 0; i < createdFirst; i++) {
            awaitValues(heard.get(i), List.of(key(i) + "@5"));
        }
        for (int i = createdFirst; i < createdFirst + WatchStream.MAX_CREATES_IN_FLIGHT; i++) {
            assertThat(s1.nextCreate().getKey().toStringUtf8()).isEqualTo(key(i));
        }
        s1.out.onError(Status.UNAVAILABLE.withDescription("server restarting").asRuntimeException());

        ServerStream s2 = nextStream();
        for (int i = 0; i < n; i++) {
            WatchCreateRequest c = s2.nextCreate();
            assertThat(c.getKey().toStringUtf8()).as("every live watch again, in order").isEqualTo(key(i));
            assertThat(c.getStartRevision()).as("watch %d resumes after what it accepted", i)
                    .isEqualTo(i < createdFirst ? 6 : 0);
            s2.created(i, 5);
        }
        for (int i = 0; i < n; i++) {
            s2.event(i, key(i), 5);     // a replay of what the first ones heard: dropped for them
            s2.event(i, key(i), 6);
        }
        for (int i = 0; i < n; i++) {
            List<String> expected = i < createdFirst ? List.of(key(i) + "@5", key(i) + "@6") : List.of(key(i) + "@6");
            awaitValues(heard.get(i), expected);
            assertThat(heard.get(i).error).isNotDone();
        }
        assertThat(stream.streamsOpened()).isEqualTo(2);
        assertThat(stream.createdCount()).isEqualTo(n);
    }
}
