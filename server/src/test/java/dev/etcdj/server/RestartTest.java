package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.Member;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.MemberRemoveRequest;
import dev.etcdj.proto.etcdserverpb.MemberUpdateRequest;
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

    @Test
    void keepsAnAddedLearnerAndItsUpdates() throws Exception {
        long[] id = new long[1];
        withServer(ch -> {
            var cluster = ClusterGrpc.newBlockingStub(ch);
            Member added = cluster.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.1:9")
                    .setIsLearner(true).build()).getMember();
            id[0] = added.getID();
            assertThat(added.getIsLearner()).isTrue();
            ServerTestBase.assertEtcdError(() -> cluster.memberAdd(MemberAddRequest.newBuilder()
                    .addPeerURLs("http://127.0.0.1:10").setIsLearner(true).build()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster");
            // A second URL: the same URLs in the same second would hash to the same ID ("member ID already exist").
            ServerTestBase.assertEtcdError(() -> cluster.memberAdd(MemberAddRequest.newBuilder()
                    .addPeerURLs("http://127.0.0.1:9").addPeerURLs("http://127.0.0.1:11").build()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
            ServerTestBase.assertEtcdError(() -> cluster.memberUpdate(MemberUpdateRequest.newBuilder().setID(id[0])
                    .addPeerURLs("127.0.0.1:19").build()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid");
        });
        withServer(ch -> {
            var cluster = ClusterGrpc.newBlockingStub(ch);
            var members = cluster.memberList(MemberListRequest.getDefaultInstance()).getMembersList();
            assertThat(members).filteredOn(m -> m.getID() == id[0]).singleElement().satisfies(m -> {
                assertThat(m.getIsLearner()).isTrue();
                assertThat(m.getName()).isEmpty();
                assertThat(m.getPeerURLsList()).containsExactly("http://127.0.0.1:9");
            });
            // etcd 3.4.23 lists an updated learner as voting (its update replaces the raft attributes).
            var updated = cluster.memberUpdate(MemberUpdateRequest.newBuilder().setID(id[0])
                    .addPeerURLs("http://127.0.0.1:19").build()).getMembersList();
            assertThat(updated).filteredOn(m -> m.getID() == id[0]).singleElement()
                    .satisfies(m -> assertThat(m.getIsLearner()).isFalse());
        });
        withServer(ch -> {
            var cluster = ClusterGrpc.newBlockingStub(ch);
            ServerTestBase.assertEtcdError(() -> cluster.memberPromote(MemberPromoteRequest.newBuilder().setID(id[0]).build()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member which is in sync with leader");
            ServerTestBase.assertEtcdError(() -> cluster.memberAdd(MemberAddRequest.newBuilder()
                    .addPeerURLs("http://127.0.0.1:29").setIsLearner(true).build()),
                    Status.Code.UNAVAILABLE, "etcdserver: unhealthy cluster");
            assertThat(cluster.memberRemove(MemberRemoveRequest.newBuilder().setID(id[0]).build()).getMembersCount())
                    .isEqualTo(1);
        });
        withServer(ch -> assertThat(ClusterGrpc.newBlockingStub(ch).memberList(MemberListRequest.getDefaultInstance())
                .getMembersCount()).isEqualTo(1));
    }
}
