package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrantResponse;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse;
import dev.etcdj.proto.etcdserverpb.LeaseLeasesRequest;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveResponse;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.proto.etcdserverpb.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseTest extends ServerTestBase {

    private LeaseGrantResponse grant(long ttl, long id) {
        return lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).setID(id).build());
    }

    @Test
    void grantBoundsAndIds() {
        LeaseGrantResponse g = grant(1, 0);
        assertThat(g.getTTL()).isEqualTo(2);
        assertThat(g.getID()).isPositive();
        assertThat(grant(-5, 0).getTTL()).isEqualTo(2);
        assertThat(grant(60, 42).getID()).isEqualTo(42);
        assertEtcdError(() -> grant(60, 42), Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists");
        assertEtcdError(() -> grant(9_000_000_001L, 0), Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL");
        assertThat(grant(9_000_000_000L, 0).getTTL()).isEqualTo(9_000_000_000L);
        assertThat(lease.leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesCount()).isEqualTo(4);
        assertThat(rev()).isEqualTo(1); // grants do not bump the revision
    }

    @Test
    void timeToLiveAndUnknownLease() {
        long id = grant(30, 0).getID();
        kv.put(PutRequest.newBuilder().setKey(bs("b")).setValue(bs("1")).setLease(id).build());
        kv.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).setLease(id).build());
        LeaseTimeToLiveResponse t = lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
        assertThat(t.getGrantedTTL()).isEqualTo(30);
        assertThat(t.getTTL()).isBetween(28L, 30L);
        assertThat(t.getKeysList()).extracting(ServerTestBase::str).containsExactly("a", "b");
        LeaseTimeToLiveResponse u = lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(99).build());
        assertThat(u.getTTL()).isEqualTo(-1);
        assertThat(u.getGrantedTTL()).isZero();
        assertEtcdError(() -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(99).build()),
                Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
        // a put without lease detaches the key
        kv.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("2")).build());
        t = lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
        assertThat(t.getKeysList()).extracting(ServerTestBase::str).containsExactly("b");
    }

    @Test
    void revokeDeletesKeysInOneRevision() throws Exception {
        long id = grant(30, 0).getID();
        kv.put(PutRequest.newBuilder().setKey(bs("l1")).setValue(bs("1")).setLease(id).build());
        kv.put(PutRequest.newBuilder().setKey(bs("l2")).setValue(bs("1")).setLease(id).build());
        BlockingQueue<WatchResponse> q = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> w = watch.watch(collect(q));
        w.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs("l"))
                .setRangeEnd(bs("m"))).build());
        assertThat(q.poll(10, TimeUnit.SECONDS).getCreated()).isTrue();
        long revoked = lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()).getHeader().getRevision();
        assertThat(revoked).isEqualTo(4);
        WatchResponse r = q.poll(10, TimeUnit.SECONDS);
        assertThat(r.getEventsCount()).isEqualTo(2);
        assertThat(r.getEventsList()).allMatch(e -> e.getKv().getModRevision() == 4);
        assertThat(get("l1").getKvsCount()).isZero();
        w.onCompleted();
    }

    @Test
    void expiryRevokesAndKeepAliveRenews() throws Exception {
        long expiring = grant(2, 0).getID();
        long kept = grant(5, 0).getID();
        kv.put(PutRequest.newBuilder().setKey(bs("e")).setValue(bs("1")).setLease(expiring).build());
        kv.put(PutRequest.newBuilder().setKey(bs("k")).setValue(bs("1")).setLease(kept).build());
        BlockingQueue<LeaseKeepAliveResponse> q = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> ka = LeaseGrpc.newStub(channel).leaseKeepAlive(collect(q));
        long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < deadline) {
            ka.onNext(LeaseKeepAliveRequest.newBuilder().setID(kept).build());
            LeaseKeepAliveResponse resp = q.poll(5, TimeUnit.SECONDS);
            assertThat(resp.getID()).isEqualTo(kept);
            assertThat(resp.getTTL()).isEqualTo(5);
            Thread.sleep(500); // keep-alive cadence, not a wait for a condition
        }
        await(() -> get("e").getKvsCount() == 0, Duration.ofSeconds(5));
        assertThat(get("k").getKvsCount()).isEqualTo(1);
        assertThat(lease.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(expiring).build()).getTTL())
                .isEqualTo(-1);
        ka.onNext(LeaseKeepAliveRequest.newBuilder().setID(expiring).build());
        LeaseKeepAliveResponse gone = q.poll(5, TimeUnit.SECONDS);
        assertThat(gone.getTTL()).isZero();
        assertThat(gone.getID()).isEqualTo(expiring);
        ka.onCompleted();
    }
}
