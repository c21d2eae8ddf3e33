package dev.etcdj.client.internal.election;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CampaignResponse;
import dev.etcdj.client.ElectionClient;
import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.LeaderKey;
import dev.etcdj.client.LeaderResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.ServiceView;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.v3electionpb.CampaignRequest;
import dev.etcdj.proto.v3electionpb.ElectionGrpc;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import dev.etcdj.proto.v3electionpb.ProclaimRequest;
import dev.etcdj.proto.v3electionpb.ResignRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link ElectionClient} over etcd's v3election service. */
public final class ElectionClientImpl extends ServiceView<ElectionClient> implements ElectionClient {

    public ElectionClientImpl(Transport transport) {
        super(transport, ElectionClientImpl::new);
    }

    @Override
    public CompletableFuture<CampaignResponse> campaign(Bytes name, long leaseId, Bytes value) {
        CampaignRequest req = CampaignRequest.newBuilder()
                .setName(ProtoConvert.toByteString(Objects.requireNonNull(name, "name")))
                .setLease(leaseId)
                .setValue(ProtoConvert.toByteString(Objects.requireNonNull(value, "value")))
                .build();
        // Not idempotent: an attempt that reached the server may have put our candidate key.
        return Waiting.map(
                transport.unary(waitTimeout(Waiting.UNBOUNDED), false, Transport.UnaryCall.of(ElectionGrpc.getCampaignMethod(), req)),
                r -> new CampaignResponse(ProtoConvert.header(r.getHeader()), fromProto(r.getLeader())));
    }

    @Override
    public CompletableFuture<ResponseHeader> proclaim(LeaderKey leader, Bytes value) {
        ProclaimRequest req = ProclaimRequest.newBuilder().setLeader(toProto(leader))
                .setValue(ProtoConvert.toByteString(Objects.requireNonNull(value, "value"))).build();
        return transport.unary(null, false, Transport.UnaryCall.of(ElectionGrpc.getProclaimMethod(), req))
                .thenApply(r -> ProtoConvert.header(r.getHeader()));
    }

    @Override
    public CompletableFuture<LeaderResponse> leader(Bytes name) {
        LeaderRequest req = LeaderRequest.newBuilder()
                .setName(ProtoConvert.toByteString(Objects.requireNonNull(name, "name"))).build();
        return transport.unary(null, true, Transport.UnaryCall.of(ElectionGrpc.getLeaderMethod(), req))
                .thenApply(r -> new LeaderResponse(ProtoConvert.header(r.getHeader()), ProtoConvert.keyValue(r.getKv())));
    }

    @Override
    public ElectionObservation observe(Bytes name, ElectionListener listener) {
        ObserveStream o = new ObserveStream(transport, Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(listener, "listener"));
        o.open();
        return o;
    }

    @Override
    public CompletableFuture<ResponseHeader> resign(LeaderKey leader) {
        ResignRequest req = ResignRequest.newBuilder().setLeader(toProto(leader)).build();
        return transport.unary(null, false, Transport.UnaryCall.of(ElectionGrpc.getResignMethod(), req))
                .thenApply(r -> ProtoConvert.header(r.getHeader()));
    }

    private static dev.etcdj.proto.v3electionpb.LeaderKey toProto(LeaderKey k) {
        Objects.requireNonNull(k, "leader");
        return dev.etcdj.proto.v3electionpb.LeaderKey.newBuilder()
                .setName(ProtoConvert.toByteString(k.name()))
                .setKey(ProtoConvert.toByteString(k.key()))
                .setRev(k.revision())
                .setLease(k.lease())
                .build();
    }

    private static LeaderKey fromProto(dev.etcdj.proto.v3electionpb.LeaderKey k) {
        return new LeaderKey(ProtoConvert.toBytes(k.getName()), ProtoConvert.toBytes(k.getKey()), k.getRev(),
                k.getLease());
    }
}
