package dev.etcdj.client.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import dev.etcdj.client.internal.GrpcTransport;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import dev.etcdj.proto.mvccpb.Event;
import dev.etcdj.proto.mvccpb.KeyValue;
import com.google.protobuf.ByteString;
import io.grpc.Server;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The responses of one burst of a watch stream are handed to the callback executor together, each
 * watch still as a task of its own: a listener that waits for another watch of the same stream is
 * not held up by it, each watch hears its own responses in order and once, and none runs on a
 * network thread. A scripted server sends the events of all watches back to back.
 */
class WatchHandOverTest {

    private static final int WATCHES = 4;
    private static final int ROUNDS = 50;

    private Server server;
    private GrpcTransport transport;
    private WatchClientImpl watch;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedWatchServer.start(call -> id -> {
            if (id == WATCHES - 1) {
                // Every watch created: each revision goes to each watch, back to back.
                for (int r = 1; r <= ROUNDS; r++) {
                    for (int w = 0; w < WATCHES; w++) {
                        call.onNext(event(w, r));
                    }
                }
            }
        });
        transport = new GrpcTransport(EtcdClient.builder().endpoints("http://127.0.0.1:" + server.getPort()).config());
        watch = new WatchClientImpl(transport, false);
    }

    @AfterEach
    void stop() throws Exception {
        watch.close();
        transport.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static WatchResponse event(int watchId, long revision) {
        return WatchResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(revision))
                .setWatchId(watchId)
                .addEvents(Event.newBuilder().setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                        .setModRevision(revision).setValue(ByteString.copyFromUtf8(watchId + "/" + revision))))
                .build();
    }

    @Test
    void aListenerWaitingForAnotherWatchOfItsStreamIsNotHeldUpByIt() throws Exception {
        CountDownLatch lastHeardFirst = new CountDownLatch(1);
        CompletableFuture<Boolean> firstWaited = new CompletableFuture<>();
        List<List<String>> heard = new ArrayList<>();
        List<String> networkThreads = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(WATCHES);
        List<Watcher> watchers = new ArrayList<>();
        for (int i = 0; i < WATCHES; i++) {
            int me = i;
            List<String> mine = new CopyOnWriteArrayList<>();
            heard.add(mine);
            watchers.add(watch.watch(WatchSpec.of("k"), response -> {
                if (Thread.currentThread().getName().startsWith("etcdj-netty")) {
                    networkThreads.add(Thread.currentThread().getName());
                }
                response.events().forEach(e -> mine.add(e.kv().value().toStringUtf8()));
                if (me == 0 && mine.size() == 1) {
                    // The first watch's first listener call waits for the last watch's first event,
                    // which the same stream carries after it.
                    try {
                        firstWaited.complete(lastHeardFirst.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        firstWaited.complete(false);
                    }
                }
                if (me == WATCHES - 1 && mine.size() == 1) {
                    lastHeardFirst.countDown();
                }
                if (mine.size() == ROUNDS) {
                    all.countDown();
                }
            }));
        }
        assertThat(watch.streamsOpened()).as("all watches on one stream").isEqualTo(1);
        assertThat(firstWaited.get(60, TimeUnit.SECONDS)).as("the other watch's event reached its listener").isTrue();
        assertThat(all.await(60, TimeUnit.SECONDS)).as("every watch heard every event").isTrue();
        for (int w = 0; w < WATCHES; w++) {
            List<String> expected = new ArrayList<>();
            for (int r = 1; r <= ROUNDS; r++) {
                expected.add(w + "/" + r);
            }
            assertThat(heard.get(w)).as("watch %d: its own events, in order, once", w).isEqualTo(expected);
        }
        assertThat(networkThreads).as("no listener on a network thread").isEmpty();
        watchers.forEach(Watcher::close);
    }
}
