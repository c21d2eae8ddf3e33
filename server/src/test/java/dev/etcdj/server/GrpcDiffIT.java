package dev.etcdj.server;

import com.google.protobuf.Message;
import dev.etcdj.proto.etcdserverpb.AlarmRequest;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.HashKVRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse;
import dev.etcdj.proto.etcdserverpb.LeaseLeasesRequest;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveRequest;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import dev.etcdj.proto.etcdserverpb.WatchCancelRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.etcdserverpb.WatchProgressRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends the same gRPC requests to our server and to a real etcd 3.4 and compares every response
 * (protobuf text, ids masked), including errors, watch streams and lease streams.
 */
class GrpcDiffIT {
    private static final class Recorder {
        final StringBuilder out = new StringBuilder();

        void rec(String label, Supplier<? extends Message> call) {
            try {
                add(label, call.get());
            } catch (StatusRuntimeException e) {
                out.append(label).append(" -> ERROR ").append(e.getStatus().getCode()).append(' ')
                        .append(e.getStatus().getDescription()).append('\n');
            }
        }

        void add(String label, Message m) {
            out.append(label).append(" -> ").append(m.toString().replace('\n', ' ')).append('\n');
        }
    }

    private static String scenario(String endpoint) throws Exception {
        URI u = URI.create(endpoint);
        ManagedChannel ch = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
        Recorder r = new Recorder();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
            LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
            MaintenanceGrpc.MaintenanceBlockingStub mt = MaintenanceGrpc.newBlockingStub(ch);
            BlockingQueue<WatchResponse> wq = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> w = WatchGrpc.newStub(ch).watch(LeaseTest.collect(wq));
            w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ServerTestBase.bs("k")).setRangeEnd(ServerTestBase.bs("l")).setPrevKv(true)).build());
            r.add("watch-created", wq.poll(10, TimeUnit.SECONDS));

            r.rec("range-empty", () -> kv.range(RangeRequest.newBuilder().setKey(ServerTestBase.bs("k")).build()));
            for (int i = 0; i < 6; i++) {
                int n = i;
                r.rec("put" + i, () -> kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("k" + (n % 3)))
                        .setValue(ServerTestBase.bs("v" + n)).setPrevKv(true).build()));
            }
            for (int i = 0; i < 6; i++) {
                r.add("watch-live" + i, wq.poll(10, TimeUnit.SECONDS));
            }
            RangeRequest.Builder all = RangeRequest.newBuilder().setKey(ServerTestBase.bs("k")).setRangeEnd(ServerTestBase.bs("l"));
            r.rec("range-limit", () -> kv.range(all.clone().setLimit(2).build()));
            r.rec("range-sort", () -> kv.range(all.clone().setSortTarget(RangeRequest.SortTarget.VALUE)
                    .setSortOrder(RangeRequest.SortOrder.DESCEND).setLimit(2).build()));
            r.rec("range-filter", () -> kv.range(all.clone().setMinModRevision(6).setLimit(1).build()));
            r.rec("range-create-filter", () -> kv.range(all.clone().setMaxCreateRevision(3).setKeysOnly(true).build()));
            r.rec("range-count", () -> kv.range(all.clone().setCountOnly(true).build()));
            r.rec("range-rev", () -> kv.range(all.clone().setRevision(3).build()));
            r.rec("range-future", () -> kv.range(all.clone().setRevision(99).build()));
            r.rec("range-noend", () -> kv.range(RangeRequest.newBuilder().setKey(ServerTestBase.bs("l"))
                    .setRangeEnd(ServerTestBase.bs("k")).build()));
            r.rec("put-ignore-missing", () -> kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("zz"))
                    .setIgnoreValue(true).build()));
            r.rec("put-ignore-value", () -> kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("k0"))
                    .setIgnoreValue(true).setPrevKv(true).build()));
            r.add("watch-ignore-value", wq.poll(10, TimeUnit.SECONDS));
            r.rec("txn", () -> kv.txn(TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(ServerTestBase.bs("k")).setRangeEnd(ServerTestBase.bs("l"))
                            .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.GREATER).setVersion(0))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ServerTestBase.bs("k5"))))
                    .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                            .setKey(ServerTestBase.bs("k1")).setPrevKv(true)))
                    .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
                            .setKey(ServerTestBase.bs("k")).setRangeEnd(ServerTestBase.bs("l"))))
                    .addSuccess(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                            .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
                                    .setKey(ServerTestBase.bs("k5"))))
                            .addCompare(Compare.newBuilder().setKey(ServerTestBase.bs("k5"))
                                    .setTarget(Compare.CompareTarget.VALUE).setValue(ServerTestBase.bs("x")))))
                    .build()));
            r.add("watch-txn", wq.poll(10, TimeUnit.SECONDS));
            r.rec("txn-readonly", () -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                    .setRequestRange(RangeRequest.newBuilder().setKey(ServerTestBase.bs("k0")))).build()));
            r.rec("del-none", () -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(ServerTestBase.bs("nope")).build()));

            // watch control messages
            w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ServerTestBase.bs("k0")).setStartRevision(2).setWatchId(5)).build());
            r.add("watch-hist-created", wq.poll(10, TimeUnit.SECONDS));
            r.add("watch-hist", wq.poll(10, TimeUnit.SECONDS));
            w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ServerTestBase.bs("a")).setWatchId(5)).build());
            r.add("watch-dup", wq.poll(10, TimeUnit.SECONDS));
            w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ServerTestBase.bs("b")).setRangeEnd(ServerTestBase.bs("a"))).build());
            r.add("watch-empty-range", wq.poll(10, TimeUnit.SECONDS));
            w.onNext(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
            r.add("watch-progress", wq.poll(10, TimeUnit.SECONDS));
            w.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(5)).build());
            r.add("watch-cancel", wq.poll(10, TimeUnit.SECONDS));
            w.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(77)).build());

            r.rec("compact", () -> kv.compact(CompactionRequest.newBuilder().setRevision(4).setPhysical(true).build()));
            r.rec("compact-again", () -> kv.compact(CompactionRequest.newBuilder().setRevision(4).build()));
            w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ServerTestBase.bs("k0")).setStartRevision(3)).build());
            r.add("watch-compacted-created", wq.poll(10, TimeUnit.SECONDS));
            r.add("watch-compacted", wq.poll(10, TimeUnit.SECONDS));
            r.rec("hashkv-compacted", () -> mt.hashKV(HashKVRequest.newBuilder().setRevision(4).build()));
            r.rec("hashkv-future", () -> mt.hashKV(HashKVRequest.newBuilder().setRevision(400).build()));

            // leases
            r.rec("lease-grant", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(1).setID(1000).build()));
            r.rec("lease-grant-dup", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(100).setID(1000).build()));
            r.rec("lease-grant-big", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(9_000_000_001L).build()));
            r.rec("lease-grant-2", () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(100).setID(2000).build()));
            r.rec("put-lease", () -> kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("kl1")).setLease(2000).build()));
            r.rec("put-lease2", () -> kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("kl2")).setLease(2000).build()));
            r.add("watch-kl1", wq.poll(10, TimeUnit.SECONDS));
            r.add("watch-kl2", wq.poll(10, TimeUnit.SECONDS));
            r.rec("put-ignore-lease", () -> kv.put(PutRequest.newBuilder().setKey(ServerTestBase.bs("kl2"))
                    .setValue(ServerTestBase.bs("z")).setIgnoreLease(true).build()));
            r.add("watch-kl2b", wq.poll(10, TimeUnit.SECONDS));
            r.rec("ttl-keys", () -> { // etcd lists keys in map order: sort them
                var t = lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(2000).setKeys(true).build());
                var keys = new java.util.ArrayList<>(t.getKeysList());
                keys.sort(com.google.protobuf.ByteString.unsignedLexicographicalComparator());
                return t.toBuilder().clearKeys().addAllKeys(keys).build();
            });
            r.rec("ttl-unknown", () -> lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(3).build()));
            r.rec("leases", () -> lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance()));
            BlockingQueue<LeaseKeepAliveResponse> kq = new LinkedBlockingQueue<>();
            StreamObserver<LeaseKeepAliveRequest> ka = LeaseGrpc.newStub(ch).leaseKeepAlive(LeaseTest.collect(kq));
            ka.onNext(LeaseKeepAliveRequest.newBuilder().setID(2000).build());
            r.add("keepalive", kq.poll(10, TimeUnit.SECONDS));
            ka.onNext(LeaseKeepAliveRequest.newBuilder().setID(4).build());
            r.add("keepalive-unknown", kq.poll(10, TimeUnit.SECONDS));
            ka.onCompleted();
            r.rec("revoke", () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(2000).build()));
            r.add("watch-revoke", wq.poll(10, TimeUnit.SECONDS));
            r.rec("revoke-unknown", () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(2000).build()));

            // cluster / maintenance
            r.rec("member-list", () -> ClusterGrpc.newBlockingStub(ch).memberList(MemberListRequest.getDefaultInstance()));
            r.rec("member-promote-unknown", () -> ClusterGrpc.newBlockingStub(ch)
                    .memberPromote(MemberPromoteRequest.newBuilder().setID(5).build()));
            r.rec("alarm-get", () -> mt.alarm(AlarmRequest.getDefaultInstance()));
            assertThat(wq.poll(300, TimeUnit.MILLISECONDS)).isNull();
            w.onCompleted();
        } finally {
            ch.shutdownNow();
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
        return r.out.toString()
                .replaceAll("(cluster_id|member_id|ID|memberID): \\d+", "$1: N")
                .replaceAll("hash: \\d+", "hash: H")
                .replaceAll("peerURLs: \"[^\"]*\"", "peerURLs: P")
                .replaceAll("clientURLs: \"[^\"]*\"", "clientURLs: C")
                .replaceAll("TTL: (99|100) grantedTTL", "TTL: T grantedTTL");
    }

    @Test
    void sameResponsesAsRealEtcd() throws Exception {
        String ours = RealEtcd.onOurServer(GrpcDiffIT::scenario);
        String real = RealEtcd.with(GrpcDiffIT::scenario);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "grpc-diff-etcdj.txt"), ours);
        Files.writeString(Path.of("target", "grpc-diff-etcd.txt"), real);
        assertThat(ours).isEqualTo(real);
    }
}
