package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 the server while writers stream puts; every acknowledged write must survive, with no revision gap. */
class CrashRecoveryIT {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("etcdj-crash-");
    }

    @AfterEach
    void tearDown() {
        Backend.deleteRecursively(dir);
    }

    private static ManagedChannel channel(String endpoint) {
        URI u = URI.create(endpoint);
        return NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
    }

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        Map<String, Long> acked = new ConcurrentHashMap<>();
        long lastRevBeforeCrash = 0;
        for (int round = 0; round < 2; round++) {
            try (ServerProcess p = ServerProcess.start(dir)) {
                ManagedChannel ch = channel(p.endpoint);
                try {
                    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
                    if (round > 0) {
                        verify(kv, acked, lastRevBeforeCrash);
                    }
                    int writers = 4;
                    AtomicBoolean stop = new AtomicBoolean();
                    CountDownLatch enough = new CountDownLatch(300);
                    List<Thread> threads = new ArrayList<>();
                    for (int w = 0; w < writers; w++) {
                        int id = w;
                        int r = round;
                        Thread t = new Thread(() -> {
                            for (int i = 0; !stop.get(); i++) {
                                String key = "r" + r + "-w" + id + "-" + i;
                                try {
                                    long rev = kv.withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                                            .setKey(ServerTestBase.bs(key)).setValue(ServerTestBase.bs("v" + i)).build())
                                            .getHeader().getRevision();
                                    acked.put(key, rev);
                                    enough.countDown();
                                } catch (RuntimeException e) {
                                    return; // server died
                                }
                            }
                        });
                        t.start();
                        threads.add(t);
                    }
                    assertThat(enough.await(60, TimeUnit.SECONDS)).isTrue();
                    p.kill9();
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join(30_000);
                    }
                    lastRevBeforeCrash = acked.values().stream().mapToLong(Long::longValue).max().orElse(1);
                } finally {
                    ch.shutdownNow();
                    ch.awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
        try (ServerProcess p = ServerProcess.start(dir)) {
            ManagedChannel ch = channel(p.endpoint);
            try {
                verify(KVGrpc.newBlockingStub(ch), acked, lastRevBeforeCrash);
            } finally {
                ch.shutdownNow();
                ch.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void verify(KVGrpc.KVBlockingStub kv, Map<String, Long> acked, long minRev) {
        RangeResponse all = kv.range(RangeRequest.newBuilder().setKey(ServerTestBase.bs("\0"))
                .setRangeEnd(ServerTestBase.bs("\0")).build());
        long current = all.getHeader().getRevision();
        assertThat(current).isGreaterThanOrEqualTo(minRev);
        Map<String, Long> stored = new HashMap<>();
        for (KeyValue kv2 : all.getKvsList()) {
            stored.put(ServerTestBase.str(kv2.getKey()), kv2.getModRevision());
        }
        for (Map.Entry<String, Long> e : acked.entrySet()) {
            assertThat(stored).containsEntry(e.getKey(), e.getValue());
        }
        // every key is written once, so mod revisions must be exactly 2..current: no gap, no duplicate
        List<Long> revs = new ArrayList<>(stored.values());
        revs.sort(null);
        for (int i = 0; i < revs.size(); i++) {
            assertThat(revs.get(i)).isEqualTo(i + 2L);
        }
        assertThat(revs.size()).isEqualTo((int) (current - 1));
    }
}
