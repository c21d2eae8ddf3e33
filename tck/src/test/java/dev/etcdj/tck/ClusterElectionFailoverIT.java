package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CampaignResponse;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.Futures;
import dev.etcdj.client.LeaderKey;
import dev.etcdj.client.Options;
import dev.etcdj.testing.EtcdTargetExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An election observation ({@code client.election().observe}) against a real 3-member etcd cluster
 * while members die: killing the member its stream is on, or the raft leader, it hears every change
 * of leader once and in order; a member that comes back after the election's history was compacted
 * tells it the leader now, as documented (a leader that came and went while it was away is not
 * heard).
 *
 * <p>The candidates campaign on a client of their own pinned to a member that stays up, so that
 * what is tested is the observation, not a campaign cut off with its member.
 */
class ClusterElectionFailoverIT extends ClusterSupport {

    private static final Duration RECOVERY = Duration.ofSeconds(20);
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** Candidate calls tried again because the cluster was electing (printed: setup noise, not the observer). */
    private static final AtomicInteger RETRIES = new AtomicInteger();

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcdCluster(3, "observe");

    @Test
    void killingTheObserversMemberMovesItToAnotherAndItHearsTheNextLeaderOnce() {
        String name = "/observe-failover/" + SEQ.incrementAndGet();
        ObserveEvents events = new ObserveEvents();
        try (EtcdClient client = EtcdClient.builder().endpoints(cluster().endpoints()).eventListener(events).build()) {
            FailoverMembers members = new FailoverMembers(cluster(), client);
            HeardLeaders heard = new HeardLeaders();
            try (ElectionObservation o = client.election().observe(name, heard)) {
                // The observer's member is the one that answers its stream.
                int observed;
                LeaderKey a;
                try (EtcdClient candidates = pinnedClient(0)) {
                    a = within(campaign(candidates, name, "A")).leader();
                    heard.await(RECOVERY, "A");
                    observed = members.indexOf(heard.responses.get(0).header().memberId());
                }
                int other = (observed + 1) % cluster().size();
                try (EtcdClient candidates = pinnedClient(other)) {
                    CompletableFuture<CampaignResponse> b = campaign(candidates, name, "B");
                    awaitCandidates(candidates, name, 2);

                    cluster().member(observed).kill();
                    // Change leaders at once, whether or not the observer is back yet: it hears B
                    // either on the stream that is open when A resigns or as the leader a new one starts with.
                    resign(candidates, a);
                    LeaderKey bKey = within(b).leader();
                    heard.await(RECOVERY, "A", "B");
                    Futures.await(candidates.election().proclaim(bKey, Bytes.of("B2")));
                    heard.await(RECOVERY, "A", "B", "B2");

                    int now = members.indexOf(heard.responses.get(2).header().memberId());
                    System.out.println("OBSERVE-FAILOVER killed observer's member " + observed + ", observer now on "
                            + now + ", events " + events.log + ", candidate calls retried so far " + RETRIES.get());
                    assertThat(now).as("the observer moved off the killed member").isNotEqualTo(observed);
                    assertThat(heard.error).isNull();
                }
                o.close();
                within(o.terminated());
                assertThat(heard.closed).as("closed once").isEqualTo(1);
            }
        }
    }

    /**
     * The raft leader dies while the observer is on it (its stream must move, and the member it
     * moves to may still be electing) or on a follower (its stream stays, through an election on its
     * member). Leadership is moved beforehand so that both cases are run, not left to chance.
     */
    @ParameterizedTest(name = "observer on the raft leader: {0}")
    @ValueSource(booleans = {true, false})
    void killingTheRaftLeaderTheObserverHearsTheNextLeaderOnce(boolean observerOnLeader) {
        String name = "/observe-failover/" + SEQ.incrementAndGet();
        ObserveEvents events = new ObserveEvents();
        try (EtcdClient client = EtcdClient.builder().endpoints(cluster().endpoints()).eventListener(events).build()) {
            FailoverMembers members = new FailoverMembers(cluster(), client);
            HeardLeaders heard = new HeardLeaders();
            try (ElectionObservation o = client.election().observe(name, heard)) {
                LeaderKey a;
                try (EtcdClient anyone = pinnedClient(0)) {
                    a = within(campaign(anyone, name, "A")).leader();
                }
                heard.await(RECOVERY, "A");
                int observed = members.indexOf(heard.responses.get(0).header().memberId());
                int leader = moveRaftLeader(client, observerOnLeader ? observed : (observed + 1) % cluster().size());
                int other = 0;
                while (other == leader || other == observed) {
                    other++;
                }
                try (EtcdClient candidates = pinnedClient(other)) {
                    CompletableFuture<CampaignResponse> b = campaign(candidates, name, "B");
                    awaitCandidates(candidates, name, 2);

                    cluster().member(leader).kill();
                    int newLeader = cluster().awaitNewLeader(leader, RECOVERY);
                    resign(candidates, a);
                    LeaderKey bKey = within(b).leader();
                    heard.await(RECOVERY, "A", "B");
                    Futures.await(candidates.election().proclaim(bKey, Bytes.of("B2")));
                    heard.await(RECOVERY, "A", "B", "B2");

                    int now = members.indexOf(heard.responses.get(2).header().memberId());
                    System.out.println("OBSERVE-FAILOVER killed raft leader " + leader + " (new leader " + newLeader
                            + "), observer was on " + observed + ", now on " + now + ", events " + events.log + ", candidate calls retried so far " + RETRIES.get());
                    if (observerOnLeader) {
                        assertThat(now).as("the observer moved off the killed leader").isNotEqualTo(leader);
                    } else {
                        assertThat(now).as("the observer stayed on its follower").isEqualTo(observed);
                        assertThat(events.broken.get()).as("its stream did not break").isZero();
                    }
                    assertThat(heard.error).isNull();
                }
            }
        }
    }

    /**
     * The observer's only member is down while the election moves on (A to B to C) and its history
     * is compacted; back, the member tells the leader now (C): the observer hears C, not B, not A again
     * (ElectionObservation: "the server then tells the current leader, which the listener hears only
     * when it changed meanwhile").
     */
    @Test
    void backAfterACompactionTheObserverHearsTheLeaderNowAndNotTheOnesItMissed() {
        String name = "/observe-failover/" + SEQ.incrementAndGet();
        int observed = cluster().awaitLeader(RECOVERY);     // the leader too: the harder case
        int other = (observed + 1) % cluster().size();
        ObserveEvents events = new ObserveEvents();
        HeardLeaders heard = new HeardLeaders();
        try (EtcdClient observer = EtcdClient.builder().endpoints(cluster().member(observed).endpoint())
                     .eventListener(events).build();
             EtcdClient candidates = pinnedClient(other);
             ElectionObservation o = observer.election().observe(name, heard)) {
            LeaderKey a = within(campaign(candidates, name, "A")).leader();
            heard.await(RECOVERY, "A");

            cluster().member(observed).kill();
            await("the observer's stream breaks").atMost(RECOVERY).until(() -> events.broken.get() > 0);
            cluster().awaitNewLeader(observed, RECOVERY);
            CompletableFuture<CampaignResponse> b = campaign(candidates, name, "B");
            awaitCandidates(candidates, name, 2);
            resign(candidates, a);
            LeaderKey bKey = within(b).leader();
            CompletableFuture<CampaignResponse> c = campaign(candidates, name, "C");
            awaitCandidates(candidates, name, 2);
            resign(candidates, bKey);
            LeaderKey cKey = within(c).leader();
            long rev = Futures.await(candidates.kv().get(name)).header().revision();
            Futures.await(candidates.kv().compact(rev, true));
            assertThat(heard.values()).as("nothing heard while away").containsExactly("A");

            cluster().start();
            heard.await(RECOVERY, "A", "C");
            Futures.await(candidates.election().proclaim(cKey, Bytes.of("C2")));
            heard.await(RECOVERY, "A", "C", "C2");
            System.out.println("OBSERVE-FAILOVER observer's only member " + observed + " down across A->B->C and a"
                    + " compaction at " + rev + "; heard " + heard.values() + ", events " + events.log + ", candidate calls retried so far " + RETRIES.get());
            assertThat(heard.responses.get(1).kv().modRevision()).isEqualTo(cKey.revision());
            assertThat(heard.error).isNull();
            assertThat(events.resumed.get()).as("the stream resumed").isPositive();
        }
    }

    // ---- support

    /** Makes member {@code target} the raft leader (MoveLeader, sent to the current leader); returns it. */
    private int moveRaftLeader(EtcdClient client, int target) {
        int leader = cluster().awaitLeader(RECOVERY);
        if (leader != target) {
            String targetName = cluster().member(target).memberName();
            long targetId = Futures.await(client.cluster().memberList()).members().stream()
                    .filter(m -> m.name().equals(targetName)).findFirst().orElseThrow().id();
            try (EtcdClient onLeader = pinnedClient(leader)) {
                Futures.await(onLeader.maintenance().moveLeader(targetId));
            }
            await("member " + target + " leads").atMost(RECOVERY).until(() -> cluster().leaderIndex() == target);
        }
        return target;
    }

    private EtcdClient pinnedClient(int member) {
        return EtcdClient.builder().endpoints(cluster().member(member).endpoint()).build();
    }

    private static <T> T within(CompletableFuture<T> f) {
        try {
            return f.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("not done within " + RECOVERY, e);
        }
    }

    /**
     * A candidate's campaign on a lease of its own. A cluster that just got a member back may
     * change leaders once more ("leader changed"); both steps are then tried again, which is safe:
     * a second campaign on the same lease takes the same key.
     */
    private static CompletableFuture<CampaignResponse> campaign(EtcdClient c, String name, String value) {
        return retried(() -> c.lease().grant(60)).thenCompose(g ->
                retried(() -> c.election().campaign(name, g.leaseId(), value)));
    }

    /** {@code call}, tried again every 200 ms for up to {@link #RECOVERY} while it fails as unavailable. */
    private static <T> CompletableFuture<T> retried(Supplier<CompletableFuture<T>> call) {
        return retried(call, System.nanoTime() + RECOVERY.toNanos());
    }

    private static <T> CompletableFuture<T> retried(Supplier<CompletableFuture<T>> call, long deadline) {
        return call.get().exceptionallyCompose(e -> unwrap(e) instanceof EtcdUnavailableException
                && System.nanoTime() < deadline
                ? CompletableFuture.supplyAsync(RETRIES::incrementAndGet, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS))
                        .thenCompose(x -> retried(call, deadline))
                : CompletableFuture.failedFuture(e));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static void awaitCandidates(EtcdClient c, String name, int n) {
        await(n + " candidates").atMost(RECOVERY)
                .until(() -> Futures.await(c.kv().get(name + "/", Options.prefix())).kvs().size() == n);
    }

    /** Resigning is no error once done: retried until a leader of the raft group takes it. */
    private static void resign(EtcdClient c, LeaderKey k) {
        await("resign " + k.key().toStringUtf8()).atMost(RECOVERY).ignoreExceptions()
                .until(() -> Futures.await(c.election().withTimeout(Duration.ofSeconds(3)).resign(k)) != null);
    }

    /** The observe stream's life, as the client tells it. */
    private static final class ObserveEvents implements EventListener {
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger broken = new AtomicInteger();
        final AtomicInteger resumed = new AtomicInteger();

        @Override
        public void streamOpened(String stream, String endpoint) {
            if (stream.equals("observe")) {
                log.add("opened " + endpoint);
            }
        }

        @Override
        public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
            if (stream.equals("observe")) {
                broken.incrementAndGet();
                log.add("broken " + endpoint + (permanent ? " for good" : ""));
            }
        }

        @Override
        public void streamResumed(String stream, String endpoint, Duration downtime) {
            if (stream.equals("observe")) {
                resumed.incrementAndGet();
                log.add("resumed " + endpoint + " after " + downtime.toMillis() + " ms");
            }
        }
    }
}
