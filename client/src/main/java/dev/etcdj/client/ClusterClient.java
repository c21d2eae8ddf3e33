package dev.etcdj.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** etcd's membership API. */
public interface ClusterClient extends CallViews<ClusterClient> {

    CompletableFuture<MemberListResponse> memberList();

    /** The member that is leader now, found by asking the endpoints' status. */
    CompletableFuture<Member> memberLeader();

    CompletableFuture<MemberAddResponse> memberAdd(List<String> peerUrls);

    /** Adds a member, as a non-voting learner when {@code learner}. */
    CompletableFuture<MemberAddResponse> memberAdd(List<String> peerUrls, boolean learner);

    CompletableFuture<MemberListResponse> memberRemove(long memberId);

    CompletableFuture<MemberListResponse> memberUpdate(long memberId, List<String> peerUrls);

    /** Makes a learner a voting member. */
    CompletableFuture<MemberListResponse> memberPromote(long memberId);

    /**
     * A view of this client whose calls use this deadline instead of the client's default.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    ClusterClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingClusterClient blocking() {
        return WaitingViews.of(BlockingClusterClient.class, this, ClusterClient::blocking);
    }
}
