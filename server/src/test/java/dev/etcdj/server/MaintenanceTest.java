package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.AlarmRequest;
import dev.etcdj.proto.etcdserverpb.AlarmResponse;
import dev.etcdj.proto.etcdserverpb.AlarmType;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.CompactionRequest;
import dev.etcdj.proto.etcdserverpb.DefragmentRequest;
import dev.etcdj.proto.etcdserverpb.DeleteRangeRequest;
import dev.etcdj.proto.etcdserverpb.HashKVRequest;
import dev.etcdj.proto.etcdserverpb.HashKVResponse;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberListResponse;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.MemberRemoveRequest;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.SnapshotRequest;
import dev.etcdj.proto.etcdserverpb.SnapshotResponse;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import dev.etcdj.proto.etcdserverpb.StatusResponse;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaintenanceTest extends ServerTestBase {

    @Override
    protected EtcdServer.Builder configure(EtcdServer.Builder b) {
        return b.quotaBackendBytes(1024 * 1024);
    }

    @Test
    void statusMembersAndHealth() {
        put("a", "1");
        StatusResponse s = maintenance.status(StatusRequest.getDefaultInstance());
        assertThat(s.getVersion()).isEqualTo("3.4.23");
        assertThat(s.getLeader()).isEqualTo(server.memberId());
        assertThat(s.getRaftTerm()).isEqualTo(2);
        assertThat(s.getRaftIndex()).isPositive();
        assertThat(s.getRaftAppliedIndex()).isEqualTo(s.getRaftIndex());
        assertThat(s.getDbSize()).isPositive();
        assertThat(s.getHeader().getRevision()).isEqualTo(2);
        assertThat(s.getErrorsList()).isEmpty();

        var cluster = ClusterGrpc.newBlockingStub(channel);
        MemberListResponse m = cluster.memberList(MemberListRequest.getDefaultInstance());
        assertThat(m.getHeader().getRevision()).isZero();
        assertThat(m.getHeader().getMemberId()).isEqualTo(server.memberId());
        assertThat(m.getMembersList()).hasSize(1);
        assertThat(m.getMembers(0).getName()).isEqualTo("default");
        assertThat(m.getMembers(0).getPeerURLsList()).containsExactly("http://localhost:2380");
        assertThat(m.getMembers(0).getClientURLsList()).containsExactly(server.endpoint());
        assertEtcdError(() -> cluster.memberRemove(MemberRemoveRequest.newBuilder().setID(12345).build()),
                Status.Code.NOT_FOUND, "etcdserver: member not found");
        assertEtcdError(() -> cluster.memberPromote(MemberPromoteRequest.newBuilder().setID(server.memberId()).build()),
                Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member");
        assertEtcdError(() -> cluster.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://localhost:2380").build()),
                Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");

        HealthCheckResponse h = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("").build());
        assertThat(h.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void noSpaceAlarmBlocksPutsUntilDisarmed() {
        String big = "v".repeat(32 * 1024);
        Throwable failure = null;
        for (int i = 0; i < 100 && failure == null; i++) {
            try {
                put("big" + i, big);
            } catch (io.grpc.StatusRuntimeException e) {
                failure = e;
            }
        }
        assertThat(failure).isNotNull();
        assertEtcdError(() -> put("x", "y"), Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
        assertEtcdError(() -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(10).build()),
                Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
        AlarmResponse alarms = maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build());
        assertThat(alarms.getAlarmsList()).hasSize(1);
        assertThat(alarms.getAlarms(0).getAlarm()).isEqualTo(AlarmType.NOSPACE);
        assertThat(alarms.getAlarms(0).getMemberID()).isEqualTo(server.memberId());
        assertThat(alarms.hasHeader()).isFalse();
        assertThat(maintenance.status(StatusRequest.getDefaultInstance()).getErrorsList())
                .containsExactly("memberID:" + Long.toUnsignedString(server.memberId()) + " alarm:NOSPACE ");
        // reads and deletes still work
        assertThat(get("big0").getKvsCount()).isEqualTo(1);
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs("big")).setRangeEnd(bs("bih")).build());
        kv.compact(CompactionRequest.newBuilder().setRevision(rev()).setPhysical(true).build());
        assertThat(maintenance.defragment(DefragmentRequest.getDefaultInstance()).hasHeader()).isFalse();
        AlarmResponse off = maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                .setMemberID(server.memberId()).setAlarm(AlarmType.NOSPACE).build());
        assertThat(off.getAlarmsList()).hasSize(1);
        put("x", "y");
    }

    @Test
    void hashKvSemantics() {
        put("a", "1");
        put("a", "2");
        put("b", "1"); // 4
        HashKVResponse h4 = maintenance.hashKV(HashKVRequest.newBuilder().setRevision(4).build());
        assertThat(maintenance.hashKV(HashKVRequest.newBuilder().setRevision(4).build()).getHash()).isEqualTo(h4.getHash());
        assertThat(maintenance.hashKV(HashKVRequest.newBuilder().setRevision(3).build()).getHash()).isNotEqualTo(h4.getHash());
        HashKVResponse cur = maintenance.hashKV(HashKVRequest.getDefaultInstance());
        assertThat(cur.getHash()).isEqualTo(h4.getHash());
        assertThat(cur.getHeader().getRevision()).isEqualTo(4);
        assertThat(cur.getCompactRevision()).isEqualTo(-1); // etcd: never compacted
        put("c", "1");
        assertThat(maintenance.hashKV(HashKVRequest.newBuilder().setRevision(4).build()).getHash()).isEqualTo(h4.getHash());
        kv.compact(CompactionRequest.newBuilder().setRevision(3).setPhysical(true).build());
        HashKVResponse after = maintenance.hashKV(HashKVRequest.newBuilder().setRevision(4).build());
        assertThat(after.getCompactRevision()).isEqualTo(3);
        assertEtcdError(() -> maintenance.hashKV(HashKVRequest.newBuilder().setRevision(3).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
        assertEtcdError(() -> maintenance.hashKV(HashKVRequest.newBuilder().setRevision(50).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void snapshotStreamsChunksAndTrailingSha256() throws Exception {
        for (int i = 0; i < 200; i++) {
            put("s" + i, "v".repeat(500));
        }
        Iterator<SnapshotResponse> it = maintenance.snapshot(SnapshotRequest.getDefaultInstance());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] last = null;
        long prevRemaining = Long.MAX_VALUE;
        while (it.hasNext()) {
            SnapshotResponse r = it.next();
            assertThat(r.getBlob().size()).isLessThanOrEqualTo(32 * 1024);
            assertThat(r.getRemainingBytes()).isLessThanOrEqualTo(prevRemaining);
            prevRemaining = r.getRemainingBytes();
            if (last != null) {
                data.write(last);
            }
            last = r.getBlob().toByteArray();
        }
        assertThat(prevRemaining).isZero();
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
        assertThat(Arrays.equals(sha, last)).isTrue();
        assertThat(data.size()).isGreaterThan(100_000);
        // a bbolt file: page 0 is a meta page (flag 0x04) with bbolt's magic, and the size is whole pages
        java.nio.ByteBuffer db = java.nio.ByteBuffer.wrap(data.toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(db.getShort(8)).isEqualTo((short) 0x04);
        assertThat(db.getInt(16)).isEqualTo(0xED0CDAED);
        assertThat(data.size() % 4096).isZero();
    }
}
