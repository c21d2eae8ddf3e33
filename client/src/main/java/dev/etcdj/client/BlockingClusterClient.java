package dev.etcdj.client;

import java.util.List;

/** The blocking view of a {@link ClusterClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingClusterClient extends BlockingView<ClusterClient, BlockingClusterClient> {

    BlockingClusterClient(ClusterClient cluster) {
        super(cluster, ClusterClient::blocking);
    }

    public MemberListResponse memberList() {
        return Futures.await(async.memberList());
    }

    public Member memberLeader() {
        return Futures.await(async.memberLeader());
    }

    public MemberAddResponse memberAdd(List<String> peerUrls) {
        return Futures.await(async.memberAdd(peerUrls));
    }

    public MemberAddResponse memberAdd(List<String> peerUrls, boolean learner) {
        return Futures.await(async.memberAdd(peerUrls, learner));
    }

    public MemberListResponse memberRemove(long memberId) {
        return Futures.await(async.memberRemove(memberId));
    }

    public MemberListResponse memberUpdate(long memberId, List<String> peerUrls) {
        return Futures.await(async.memberUpdate(memberId, peerUrls));
    }

    public MemberListResponse memberPromote(long memberId) {
        return Futures.await(async.memberPromote(memberId));
    }
}
