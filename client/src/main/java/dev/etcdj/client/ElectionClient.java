package dev.etcdj.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's election service ({@code v3electionpb.Election}): the server runs a leader election for
 * the caller. It shares its key layout with Go's {@code concurrency.Election} and the recipes'
 * {@code Election}: candidates of the election {@code n} hold keys {@code n/<lease id in hex>},
 * and the one with the oldest create revision leads.
 * <pre>{@code
 * long lease = client.lease().grant(15).join().leaseId();
 * LeaderKey me = client.election().campaign("scheduler", lease, "node-1").join().leader();
 * client.election().proclaim(me, Bytes.of("node-1 at v2")).join();
 * client.election().resign(me).join();
 * }</pre>
 */
public interface ElectionClient extends CallViews<ElectionClient> {

    /**
     * Enters the election {@code name} with {@code value} as a candidate on the lease
     * {@code leaseId}, and completes once the candidate leads. With lease 0 the server grants one
     * of 60 s that nobody keeps alive, as etcd does. Fails with {@link LeaseNotFoundException} when
     * the lease does not exist.
     *
     * <p>Waiting has no deadline on this client; cancelling the future gives up and the server
     * withdraws the candidacy. On a {@link #withTimeout} view the wait ends with
     * {@link EtcdTimeoutException} after that timeout.
     */
    CompletableFuture<CampaignResponse> campaign(Bytes name, long leaseId, Bytes value);

    default CompletableFuture<CampaignResponse> campaign(String name, long leaseId, String value) {
        return campaign(Bytes.of(name), leaseId, Bytes.of(value));
    }

    /**
     * Sets a new value for the leader without an election. Fails with
     * {@link ElectionNotLeaderException} when {@code leader} does not lead any more.
     */
    CompletableFuture<ResponseHeader> proclaim(LeaderKey leader, Bytes value);

    /**
     * Who leads the election {@code name} now. Fails with {@link ElectionNoLeaderException} when
     * nobody does.
     */
    CompletableFuture<LeaderResponse> leader(Bytes name);

    default CompletableFuture<LeaderResponse> leader(String name) {
        return leader(Bytes.of(name));
    }

    /**
     * Follows the election {@code name}: the listener hears the leader now, or the first one when
     * nobody leads yet, then each value proclaimed and each new leader, until the observation is
     * closed.
     */
    ElectionObservation observe(Bytes name, ElectionListener listener);

    default ElectionObservation observe(String name, ElectionListener listener) {
        return observe(Bytes.of(name), listener);
    }

    /**
     * Steps down: deletes the leader's key if it is still the one that won, so the next candidate
     * leads. As in etcd, resigning a key that does not lead any more is no error.
     */
    CompletableFuture<ResponseHeader> resign(LeaderKey leader);

    /**
     * A view of this client whose calls use this deadline, waiting in a campaign included.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    ElectionClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingElectionClient blocking() {
        return WaitingViews.of(BlockingElectionClient.class, this, ElectionClient::blocking);
    }
}
