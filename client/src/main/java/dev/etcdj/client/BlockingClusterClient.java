package dev.etcdj.client;

import java.time.Duration;
import java.util.List;

/** The blocking view of a {@link ClusterClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingClusterClient {

    private final ClusterClient cluster;

    BlockingClusterClient(ClusterClient cluster) {
        this.cluster = cluster;
    }

    public MemberListResponse memberList() {
        return Futures.await(cluster.memberList());
    }

    public Member memberLeader() {
        return Futures.await(cluster.memberLeader());
    }

    public MemberAddResponse memberAdd(List<String> peerUrls) {
        return Futures.await(cluster.memberAdd(peerUrls));
    }

    public MemberAddResponse memberAdd(List<String> peerUrls, boolean learner) {
        return Futures.await(cluster.memberAdd(peerUrls, learner));
    }

    public MemberListResponse memberRemove(long memberId) {
        return Futures.await(cluster.memberRemove(memberId));
    }

    public MemberListResponse memberUpdate(long memberId, List<String> peerUrls) {
        return Futures.await(cluster.memberUpdate(memberId, peerUrls));
    }

    public MemberListResponse memberPromote(long memberId) {
        return Futures.await(cluster.memberPromote(memberId));
    }

    /** The same view with this deadline per call instead of the client's default. */
    public BlockingClusterClient withTimeout(Duration timeout) {
        return cluster.withTimeout(timeout).blocking();
    }

    public ClusterClient async() {
        return cluster;
    }
}
