package dev.etcdj.recipes;

import dev.etcdj.client.Options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Leader election: campaigning, queueing, proclaiming, resigning and observing.
 * Run against real etcd (the oracle) and against our server, by the two subclasses.
 */
abstract class ElectionContract extends RecipeContract {

    private String leaderValue(Election e) {
        return e.leader().join().map(kv -> kv.value().toStringUtf8()).orElse(null);
    }

    @Test
    void theNextCandidateLeadsWhenTheLeadersSessionEnds() throws Exception {
        Session s1 = Session.create(client, 30);
        try (Session s2 = Session.create(other, 30)) {
            Election e1 = new Election(s1, "election-failover");
            Election e2 = new Election(s2, "election-failover");
            assertThat(e1.leader().join()).isEmpty();
            e1.campaign("node-1").get(10, TimeUnit.SECONDS);
            CompletableFuture<Void> second = e2.campaign("node-2");
            Await.until(Duration.ofSeconds(10), "node-2 queued", () -> keysUnder("election-failover/") == 2);
            assertThat(second).isNotDone();
            assertThat(leaderValue(e2)).isEqualTo("node-1");

            s1.close(); // the leader's process goes away
            second.get(10, TimeUnit.SECONDS);
            assertThat(leaderValue(e1)).isEqualTo("node-2");
            e2.resign().join();
            assertThat(e2.leader().join()).isEmpty();
        }
    }

    @Test
    void observeSeesEveryLeaderAndProclamationInOrder() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Session> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                sessions.add(Session.create(i % 2 == 0 ? client : other, 30));
            }
            Election watcherSide = new Election(sessions.get(0), "election-observe");
            try (Election.Observation o = watcherSide.observe(leader -> seen.add(leader.value().toStringUtf8()))) {
                Election a = new Election(sessions.get(0), "election-observe");
                Election b = new Election(sessions.get(1), "election-observe");
                Election c = new Election(sessions.get(2), "election-observe");
                a.campaign("a").get(10, TimeUnit.SECONDS);
                Await.until(Duration.ofSeconds(10), "observer saw a", () -> seen.contains("a"));
                a.proclaim("a2").get(10, TimeUnit.SECONDS);
                // b must queue before c: campaigns queue by create revision, so wait for b's key first.
                CompletableFuture<Void> bLeads = b.campaign("b");
                Await.until(Duration.ofSeconds(10), "b queued", () -> keysUnder("election-observe/") == 2);
                CompletableFuture<Void> cLeads = c.campaign("c");
                Await.until(Duration.ofSeconds(10), "c queued", () -> keysUnder("election-observe/") == 3);
                Await.until(Duration.ofSeconds(10), "observer saw a2", () -> seen.contains("a2"));
                a.resign().join();
                bLeads.get(10, TimeUnit.SECONDS);
                // Let the observer read b's first value before it changes: it reports states, not every write.
                Await.until(Duration.ofSeconds(10), "observer saw b", () -> seen.contains("b"));
                b.proclaim("b2").get(10, TimeUnit.SECONDS);
                Await.until(Duration.ofSeconds(10), "observer saw b2", () -> seen.contains("b2"));
                sessions.get(1).close(); // b's session ends: c takes over
                cLeads.get(10, TimeUnit.SECONDS);
                Await.until(Duration.ofSeconds(10), "observer saw c", () -> seen.contains("c"));
                c.resign().join();
                a.campaign("a3").get(10, TimeUnit.SECONDS); // after a gap with no leader
                Await.until(Duration.ofSeconds(10), "observer saw a3", () -> seen.contains("a3"));
            }
            assertThat(seen).containsExactly("a", "a2", "b", "b2", "c", "a3");
        } finally {
            for (Session s : sessions) {
                s.close();
            }
        }
    }


    @Test
    void onlyTheCandidateCanProclaimAndAResignedOneNoLonger() throws Exception {
        try (Session s1 = Session.create(client, 30); Session s2 = Session.create(other, 30)) {
            Election e1 = new Election(s1, "election-proclaim");
            Election e2 = new Election(s2, "election-proclaim");
            assertThatThrownBy(() -> e2.proclaim("x").join()).hasCauseInstanceOf(ElectionNotLeaderException.class);
            e1.campaign("one").get(10, TimeUnit.SECONDS);
            e1.proclaim("uno").get(10, TimeUnit.SECONDS);
            assertThat(leaderValue(e2)).isEqualTo("uno");
            e1.resign().join();
            assertThatThrownBy(() -> e1.proclaim("again").join())
                    .hasCauseInstanceOf(ElectionNotLeaderException.class);
            assertThat(e2.leader().join()).isEmpty();
        }
    }

    @Test
    void campaigningAgainKeepsThePlaceAndUpdatesTheValue() throws Exception {
        try (Session s = Session.create(client, 30)) {
            Election e = new Election(s, "election-again");
            e.campaign("v1").get(10, TimeUnit.SECONDS);
            KeyValue before = e.leader().join().orElseThrow();
            e.campaign("v2").get(10, TimeUnit.SECONDS);
            KeyValue after = e.leader().join().orElseThrow();
            assertThat(after.createRevision()).isEqualTo(before.createRevision());
            assertThat(after.value().toStringUtf8()).isEqualTo("v2");
            e.resign().join();
        }
    }

    @Test
    void anObservationEndsWithAnErrorWhenTheClientCloses() {
        EtcdClient own = EtcdClient.builder().endpoints(target().endpoint()).build();
        CompletableFuture<EtcdException> error = new CompletableFuture<>();
        try (Session s = Session.create(client, 30)) {
            Election e = new Election(s, "election-close");
            Election.observe(own, "election-close", new Election.Listener() {
                @Override
                public void onLeader(KeyValue leader) {}

                @Override
                public void onError(EtcdException err) {
                    error.complete(err);
                }
            });
            e.campaign("x").join();
            own.close();
            assertThat(error).succeedsWithin(Duration.ofSeconds(10));
        }
    }
}
