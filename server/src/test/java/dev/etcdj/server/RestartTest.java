package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveResponse;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTest {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("etcdj-restart-");
    }

    @AfterEach
    void tearDown() {
        Backend.deleteRecursively(dir);
    }

    private record Ids(long member, long cluster) {
    }

    private Ids withServer(Consumer<ManagedChannel> body) throws Exception {
        try (EtcdServer s = EtcdServer.builder().dataDir(dir).listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            s.start();
            URI u = URI.create(s.endpoint());
            ManagedChannel ch = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
            try {
                body.accept(ch);
            } finally {
                ch.shutdownNow();
                ch.awaitTermination(5, TimeUnit.SECONDS);
            }
            return new Ids(s.memberId(), s.clusterId());
        }
    }

    @Test
    void keepsRevisionCompactionLeasesAndIds() throws Exception {
        long[] leaseId = new long[1];
        Ids first = withServer(ch -> {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
            for (int i = 0; i < 10; i++) {
                kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("k" + i)).setValue(ServerTestBase.bs("v" + i)).build());
            }
            kv.compact(CompactionRequest.newBuilder().setRevision(5).setPhysical(true).build());
            leaseId[0] = LeaseGrpc.newBlockingStub(ch).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(100).build()).getID();
            kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("leased")).setValue(ServerTestBase.bs("x"))
                    .setLease(leaseId[0]).build());
        });
        Ids second = withServer(ch -> {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
            var r = kv.range(RangeRequest.newBuilder().setKey(ServerTestBase.bs("k")).setRangeEnd(ServerTestBase.bs("l")).build());
            assertThat(r.getHeader().getRevision()).isEqualTo(12);
            assertThat(r.getCount()).isEqualTo(10);
            ServerTestBase.assertEtcdError(() -> kv.range(RangeRequest.newBuilder().setKey(ServerTestBase.bs("k1"))
                    .setRevision(4).build()), Status.Code.OUT_OF_RANGE,
                    "etcdserver: mvcc: required revision has been compacted");
            assertThat(kv.range(RangeRequest.newBuilder().setKey(ServerTestBase.bs("k1")).setRevision(5).build())
                    .getKvsCount()).isEqualTo(1);
            LeaseTimeToLiveResponse t = LeaseGrpc.newBlockingStub(ch).leaseTimeToLive(
                    LeaseTimeToLiveRequest.newBuilder().setID(leaseId[0]).setKeys(true).build());
            assertThat(t.getGrantedTTL()).isEqualTo(100);
            assertThat(t.getTTL()).isBetween(90L, 100L);
            assertThat(t.getKeysList()).extracting(ServerTestBase::str).containsExactly("leased");
            assertThat(kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("n")).build()).getHeader().getRevision())
                    .isEqualTo(13);
        });
        assertThat(second).isEqualTo(first);
    }
}
