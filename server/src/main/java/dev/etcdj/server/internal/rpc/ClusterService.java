package dev.etcdj.server.internal.rpc;

import dev.etcdj.proto.etcdserverpb.ClusterGrpc;
import dev.etcdj.proto.etcdserverpb.Member;
import dev.etcdj.proto.etcdserverpb.MemberAddRequest;
import dev.etcdj.proto.etcdserverpb.MemberAddResponse;
import dev.etcdj.proto.etcdserverpb.MemberListRequest;
import dev.etcdj.proto.etcdserverpb.MemberListResponse;
import dev.etcdj.proto.etcdserverpb.MemberPromoteRequest;
import dev.etcdj.proto.etcdserverpb.MemberPromoteResponse;
import dev.etcdj.proto.etcdserverpb.MemberRemoveRequest;
import dev.etcdj.proto.etcdserverpb.MemberRemoveResponse;
import dev.etcdj.proto.etcdserverpb.MemberUpdateRequest;
import dev.etcdj.proto.etcdserverpb.MemberUpdateResponse;
import dev.etcdj.proto.etcdserverpb.ResponseHeader;
import dev.etcdj.server.internal.EtcdError;
import dev.etcdj.server.internal.ServerCore;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * etcdserverpb.Cluster for a single, unreplicated member. Membership cannot change: adding or
 * removing a voting member is refused with "re-configuration failed due to not enough started
 * members" (real etcd would accept an add and then lose quorum); updating our own peer URLs works.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final ServerCore core;
    private final Supplier<List<String>> clientUrls;

    public ClusterService(ServerCore core, Supplier<List<String>> clientUrls) {
        this.core = core;
        this.clientUrls = clientUrls;
    }

    private ResponseHeader header() {
        return core.header(0);
    }

    private Member self() {
        return Member.newBuilder().setID(core.memberId()).setName(core.config().name())
                .addAllPeerURLs(core.peerUrls()).addAllClientURLs(clientUrls.get()).build();
    }

    private static void checkUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw EtcdError.MEMBER_URLS_INVALID.exception();
        }
        for (String u : urls) {
            try {
                URI uri = new URI(u);
                if (uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0) {
                    throw EtcdError.MEMBER_URLS_INVALID.exception();
                }
            } catch (java.net.URISyntaxException e) {
                throw EtcdError.MEMBER_URLS_INVALID.exception();
            }
        }
    }

    @Override
    public void memberAdd(MemberAddRequest r, StreamObserver<MemberAddResponse> out) {
        Rpc.reply(out, () -> {
            core.authHook().check("etcdserverpb.Cluster/MemberAdd", r);
            checkUrls(r.getPeerURLsList());
            for (String u : r.getPeerURLsList()) {
                if (core.peerUrls().contains(u)) {
                    throw EtcdError.PEER_URL_EXISTS.exception();
                }
            }
            throw EtcdError.NOT_ENOUGH_STARTED_MEMBERS.exception();
        });
    }

    @Override
    public void memberRemove(MemberRemoveRequest r, StreamObserver<MemberRemoveResponse> out) {
        Rpc.reply(out, () -> {
            core.authHook().check("etcdserverpb.Cluster/MemberRemove", r);
            if (r.getID() != core.memberId()) {
                throw EtcdError.MEMBER_NOT_FOUND.exception();
            }
            throw EtcdError.NOT_ENOUGH_STARTED_MEMBERS.exception();
        });
    }

    @Override
    public void memberUpdate(MemberUpdateRequest r, StreamObserver<MemberUpdateResponse> out) {
        Rpc.replyAsync(out, () -> {
            core.authHook().check("etcdserverpb.Cluster/MemberUpdate", r);
            if (r.getID() != core.memberId()) {
                throw EtcdError.MEMBER_NOT_FOUND.exception();
            }
            checkUrls(r.getPeerURLsList());
            return core.setPeerUrls(r.getPeerURLsList()).thenApply(x -> MemberUpdateResponse.newBuilder()
                    .setHeader(header()).addMembers(self()).build());
        });
    }

    @Override
    public void memberList(MemberListRequest r, StreamObserver<MemberListResponse> out) {
        Rpc.reply(out, () -> {
            core.authHook().check("etcdserverpb.Cluster/MemberList", r);
            return MemberListResponse.newBuilder().setHeader(header()).addMembers(self()).build();
        });
    }

    @Override
    public void memberPromote(MemberPromoteRequest r, StreamObserver<MemberPromoteResponse> out) {
        Rpc.reply(out, () -> {
            core.authHook().check("etcdserverpb.Cluster/MemberPromote", r);
            if (r.getID() != core.memberId()) {
                throw EtcdError.MEMBER_NOT_FOUND.exception();
            }
            throw EtcdError.MEMBER_NOT_LEARNER.exception();
        });
    }
}
