package dev.etcdj.client.internal.cluster;

import dev.etcdj.client.ClusterClient;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.MemberException;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.NoLeaderException;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.ServiceView;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.client.internal.maintenance.StatusProbe;
import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.MemberRemoveRequest;
import dev.etcdj.proto.etcdserverpb.MemberUpdateRequest;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link ClusterClient} over etcd's Cluster service. */
public final class ClusterClientImpl extends ServiceView<ClusterClient> implements ClusterClient {

    public ClusterClientImpl(Transport transport) {
        super(transport, ClusterClientImpl::new);
    }

    @Override
    public CompletableFuture<MemberListResponse> memberList() {
        MemberListRequest req = MemberListRequest.getDefaultInstance();
        return transport.unary(null, true, Transport.UnaryCall.of(ClusterGrpc.getMemberListMethod(), req))
                .thenApply(r -> list(r.getHeader(), r.getMembersList()));
    }

    @Override
    public CompletableFuture<Member> memberLeader() {
        return StatusProbe.leaderId(transport).thenCompose(leader -> memberList().thenApply(list -> {
            for (Member m : list.members()) {
                if (m.id() == leader) {
                    return m;
                }
            }
            // The leader named by a status was removed meanwhile.
            throw new NoLeaderException("leader " + Long.toHexString(leader) + " is not in the member list", null);
        }));
    }

    @Override
    public CompletableFuture<MemberAddResponse> memberAdd(List<String> peerUrls) {
        return memberAdd(peerUrls, false);
    }

    @Override
    public CompletableFuture<MemberAddResponse> memberAdd(List<String> peerUrls, boolean learner) {
        MemberException bad = PeerUrls.check(peerUrls);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        MemberAddRequest req = MemberAddRequest.newBuilder().addAllPeerURLs(peerUrls).setIsLearner(learner).build();
        return change(ClusterGrpc.getMemberAddMethod(), req)
                .thenApply(r -> new MemberAddResponse(ProtoConvert.header(r.getHeader()), member(r.getMember()),
                        members(r.getMembersList())));
    }

    @Override
    public CompletableFuture<MemberListResponse> memberRemove(long memberId) {
        MemberRemoveRequest req = MemberRemoveRequest.newBuilder().setID(memberId).build();
        return change(ClusterGrpc.getMemberRemoveMethod(), req).thenApply(r -> list(r.getHeader(), r.getMembersList()));
    }

    @Override
    public CompletableFuture<MemberListResponse> memberUpdate(long memberId, List<String> peerUrls) {
        // Not only a courtesy: etcd 3.4 commits bad URLs in an update and then crashes on them.
        MemberException bad = PeerUrls.check(peerUrls);
        if (bad != null) {
            return CompletableFuture.failedFuture(bad);
        }
        MemberUpdateRequest req = MemberUpdateRequest.newBuilder().setID(memberId).addAllPeerURLs(peerUrls).build();
        return change(ClusterGrpc.getMemberUpdateMethod(), req).thenApply(r -> list(r.getHeader(), r.getMembersList()));
    }

    @Override
    public CompletableFuture<MemberListResponse> memberPromote(long memberId) {
        MemberPromoteRequest req = MemberPromoteRequest.newBuilder().setID(memberId).build();
        return change(ClusterGrpc.getMemberPromoteMethod(), req)
                .thenApply(r -> list(r.getHeader(), r.getMembersList()));
    }

    /**
     * A membership change. Never retried elsewhere: a second attempt after one that applied would
     * fail with "Peer URLs already exists" or "member not found".
     */
    private <Q, R> CompletableFuture<R> change(MethodDescriptor<Q, R> method, Q request) {
        return transport.unary(null, false, Transport.UnaryCall.of(method, request));
    }

    private static MemberListResponse list(dev.etcdj.proto.etcdserverpb.ResponseHeader header,
                                           List<dev.etcdj.proto.etcdserverpb.Member> members) {
        return new MemberListResponse(ProtoConvert.header(header), members(members));
    }


    static List<Member> members(List<dev.etcdj.proto.etcdserverpb.Member> members) {
        List<Member> out = new ArrayList<>(members.size());
        for (dev.etcdj.proto.etcdserverpb.Member m : members) {
            out.add(member(m));
        }
        return out;
    }

    static Member member(dev.etcdj.proto.etcdserverpb.Member m) {
        return new Member(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(), m.getIsLearner());
    }
}
