package dev.etcdj.client;

import java.util.List;

/**
 * The blocking view of a {@link ClusterClient}: each call is that client's call of the same name and
 * parameters, waited for; it returns the future's value and throws the {@link EtcdException} itself
 * (see {@link BlockingView}).
 */
public interface BlockingClusterClient extends BlockingView<ClusterClient, BlockingClusterClient> {

    MemberListResponse memberList();

    Member memberLeader();

    MemberAddResponse memberAdd(List<String> peerUrls);

    MemberAddResponse memberAdd(List<String> peerUrls, boolean learner);

    MemberListResponse memberRemove(long memberId);

    MemberListResponse memberUpdate(long memberId, List<String> peerUrls);

    MemberListResponse memberPromote(long memberId);
}
