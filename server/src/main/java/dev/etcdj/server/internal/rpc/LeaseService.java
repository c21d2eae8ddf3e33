package dev.etcdj.server.internal.rpc;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.LeaseGrantRequest;
import dev.etcdj.proto.etcdserverpb.LeaseGrantResponse;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse;
import dev.etcdj.proto.etcdserverpb.LeaseLeasesRequest;
import dev.etcdj.proto.etcdserverpb.LeaseLeasesResponse;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeRequest;
import dev.etcdj.proto.etcdserverpb.LeaseRevokeResponse;
import dev.etcdj.proto.etcdserverpb.LeaseStatus;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseTimeToLiveResponse;
import dev.etcdj.server.internal.Alarms;
import dev.etcdj.server.internal.Headers;
import dev.etcdj.server.internal.lease.Lessor;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.Lease. */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final Lessor lessor;
    private final Alarms alarms;
    private final Headers headers;

    public LeaseService(Lessor lessor, Alarms alarms, Headers headers) {
        this.lessor = lessor;
        this.alarms = alarms;
        this.headers = headers;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest r, StreamObserver<LeaseGrantResponse> out) {
        Rpc.replyAsync(out, () -> {
            alarms.checkQuota(0);
            return lessor.grant(r.getID(), r.getTTL()).thenApply(g -> LeaseGrantResponse.newBuilder()
                    .setHeader(headers.at(g[2])).setID(g[0]).setTTL(g[1]).build());
        });
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest r, StreamObserver<LeaseRevokeResponse> out) {
        Rpc.replyAsync(out, () -> {
            return lessor.revoke(r.getID())
                    .thenApply(rev -> LeaseRevokeResponse.newBuilder().setHeader(headers.at(rev)).build());
        });
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveRequest r) {
                long ttl = lessor.renew(r.getID());
                out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(headers.current()).setID(r.getID())
                        .setTTL(ttl).build());
            }

            @Override
            public void onError(Throwable t) {
                // client went away
            }

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest r, StreamObserver<LeaseTimeToLiveResponse> out) {
        Rpc.reply(out, () -> {
            Lessor.TimeToLive t = lessor.timeToLive(r.getID(), r.getKeys());
            LeaseTimeToLiveResponse.Builder b = LeaseTimeToLiveResponse.newBuilder().setHeader(headers.current())
                    .setID(t.id()).setTTL(t.ttl()).setGrantedTTL(t.grantedTtl());
            for (byte[] k : t.keys()) {
                b.addKeys(ByteString.copyFrom(k));
            }
            return b.build();
        });
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest r, StreamObserver<LeaseLeasesResponse> out) {
        Rpc.reply(out, () -> {
            LeaseLeasesResponse.Builder b = LeaseLeasesResponse.newBuilder().setHeader(headers.current());
            for (long id : lessor.ids()) {
                b.addLeases(LeaseStatus.newBuilder().setID(id));
            }
            return b.build();
        });
    }
}
