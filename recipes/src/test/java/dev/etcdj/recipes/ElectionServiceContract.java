package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CampaignResponse;
import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.ElectionNoLeaderException;
import dev.etcdj.client.ElectionNotLeaderException;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaderKey;
import dev.etcdj.client.LeaderResponse;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.testing.Await;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * etcd's election service through {@code client.election()}: campaign, proclaim, leader, observe,
 * resign, the key layout it shares with Go's election and the recipes' {@link Election}, and the
 * errors etcd answers with. Run against real etcd (the oracle) and against our server.
 */
abstract class ElectionServiceContract extends RecipeContract {

    /** Records what an observation hears. */
    private static final class Heard implements ElectionListener {
        final List<String> values = new CopyOnWriteArrayList<>();
        final List<KeyValue> kvs = new CopyOnWriteArrayList<>();
        volatile EtcdException error;
        volatile boolean closed;

        @Override
        public void onLeader(LeaderResponse leader) {
            kvs.add(leader.kv());
            values.add(leader.kv().value().toStringUtf8());
        }

        @Override
        public void onError(EtcdException e) {
            error = e;
        }

        @Override
        public void onClosed() {
            closed = true;
        }
    }

    @Test
    void theWinnerLeadsWithItsValueUnderTheName() throws Exception {
        long lease = grant(client);
        CampaignResponse won = await(client.election().campaign("esvc-basic", lease, "node-1"));
        LeaderKey me = won.leader();
        assertThat(me.name().toStringUtf8()).isEqualTo("esvc-basic");
        assertThat(me.key().toStringUtf8()).isEqualTo("esvc-basic/" + Long.toHexString(lease));
        assertThat(me.lease()).isEqualTo(lease);
        assertThat(me.revision()).isEqualTo(won.header().revision());

        LeaderResponse leader = other.election().leader("esvc-basic").join();
        assertThat(leader.kv().key()).isEqualTo(me.key());
        assertThat(leader.kv().value().toStringUtf8()).isEqualTo("node-1");
        assertThat(leader.kv().createRevision()).isEqualTo(me.revision());
        assertThat(leader.kv().lease()).isEqualTo(lease);

        client.election().proclaim(me, Bytes.of("node-1 v2")).join();
        assertThat(other.election().leader("esvc-basic").join().kv().value().toStringUtf8()).isEqualTo("node-1 v2");

        client.election().resign(me).join();
        assertThat(keysUnder("esvc-basic/")).isZero();
    }

    @Test
    void aSecondCandidateLeadsOnceTheFirstResigns() throws Exception {
        LeaderKey first = await(client.election().campaign("esvc-queue", grant(client), "a")).leader();
        CompletableFuture<CampaignResponse> second = other.election().campaign("esvc-queue", grant(other), "b");
        Await.until(WAIT, "the second candidate's key", () -> keysUnder("esvc-queue/") == 2);
        assertThat(second).isNotDone();
        assertThat(client.election().leader("esvc-queue").join().kv().value().toStringUtf8()).isEqualTo("a");
        client.election().resign(first).join();
        assertThat(await(second).leader().key().toStringUtf8()).startsWith("esvc-queue/");
        assertThat(client.election().leader("esvc-queue").join().kv().value().toStringUtf8()).isEqualTo("b");
    }

    @Test
    void givingUpACampaignWithdrawsTheCandidate() throws Exception {
        LeaderKey first = await(client.election().campaign("esvc-cancel", grant(client), "a")).leader();
        CompletableFuture<CampaignResponse> second = other.election().campaign("esvc-cancel", grant(other), "b");
        Await.until(WAIT, "the second candidate's key", () -> keysUnder("esvc-cancel/") == 2);
        second.cancel(true);
        Await.until(WAIT, "the second candidate withdrawn", () -> keysUnder("esvc-cancel/") == 1);
        client.election().resign(first).join();
    }

    @Test
    void leaderOfAnElectionNobodyLeadsFails() {
        assertThatThrownBy(() -> client.election().leader("esvc-empty").join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ElectionNoLeaderException.class)
                .hasMessage("election: no leader")
                .satisfies(e -> assertThat(((EtcdException) e).error()).isEqualTo(EtcdError.ELECTION_NO_LEADER));
    }

    @Test
    void proclaimingAfterResigningFailsWithNotLeaderAndResigningAgainIsNoError() throws Exception {
        LeaderKey me = await(client.election().campaign("esvc-resigned", grant(client), "x")).leader();
        client.election().resign(me).join();
        assertThatThrownBy(() -> client.election().proclaim(me, Bytes.of("y")).join())
                .cause().isInstanceOf(ElectionNotLeaderException.class)
                .hasMessage("election: not leader");
        // As in etcd: resign deletes the key only while it is the one that won, and never complains.
        client.election().resign(me).join();
    }

    @Test
    void campaigningOnARevokedLeaseFailsWithLeaseNotFound() {
        long lease = grant(client);
        client.lease().revoke(lease).join();
        assertThatThrownBy(() -> client.election().campaign("esvc-dead", lease, "v").join())
                .cause().isInstanceOf(LeaseNotFoundException.class)
                .hasMessage("etcdserver: requested lease not found");
        assertThat(keysUnder("esvc-dead/")).isZero();
    }

    @Test
    void observeHearsTheLeaderItsValuesAndTheNextLeaderInOrder() throws Exception {
        Heard heard = new Heard();
        // Nobody leads yet: the observation waits for the first leader.
        try (ElectionObservation o = other.election().observe("esvc-observe", heard)) {
            LeaderKey a = await(client.election().campaign("esvc-observe", grant(client), "a1")).leader();
            Await.until(WAIT, "the first leader", () -> heard.values.equals(List.of("a1")));
            CompletableFuture<CampaignResponse> b = other.election().campaign("esvc-observe", grant(other), "b1");
            Await.until(WAIT, "b queued", () -> keysUnder("esvc-observe/") == 2);
            client.election().proclaim(a, Bytes.of("a2")).join();
            Await.until(WAIT, "a's new value", () -> heard.values.equals(List.of("a1", "a2")));
            client.election().resign(a).join();
            await(b);
            Await.until(WAIT, "the next leader", () -> heard.values.equals(List.of("a1", "a2", "b1")));
            assertThat(heard.kvs.get(2).key().toStringUtf8()).startsWith("esvc-observe/");
            assertThat(heard.error).isNull();
            o.close();
            await(o.terminated());
            assertThat(heard.closed).isTrue();
        }
    }

    @Test
    void theServiceAndTheElectionRecipeShareOneElection() throws Exception {
        try (Session session = Session.create(other, 30)) {
            Election recipe = new Election(session, "esvc-shared");
            await(recipe.campaign("recipe"));
            assertThat(client.election().leader("esvc-shared").join().kv().value().toStringUtf8())
                    .isEqualTo("recipe");

            CompletableFuture<CampaignResponse> service = client.election().campaign("esvc-shared", grant(client),
                    "service");
            Await.until(WAIT, "the service behind the recipe", () -> keysUnder("esvc-shared/") == 2);
            assertThat(service).isNotDone();
            recipe.resign().join();
            LeaderKey leader = await(service).leader();
            Optional<KeyValue> seen = Election.leader(other, "esvc-shared").join();
            assertThat(seen).map(kv -> kv.value().toStringUtf8()).contains("service");
            assertThat(seen.get().key()).isEqualTo(leader.key());
            client.election().resign(leader).join();
        }
    }

    @Test
    void aNamespacedClientCampaignsUnderItsPrefix() throws Exception {
        EtcdClient ns = Namespace.client(client, "esvc-ns/");
        long lease = grant(client);
        LeaderKey me = await(ns.election().campaign("e", lease, "v")).leader();
        assertThat(me.name().toStringUtf8()).isEqualTo("e");
        assertThat(me.key().toStringUtf8()).isEqualTo("e/" + Long.toHexString(lease));
        assertThat(keysUnder("esvc-ns/e/")).isEqualTo(1);
        assertThat(ns.election().leader("e").join().kv().key().toStringUtf8()).isEqualTo(me.key().toStringUtf8());
        ns.election().proclaim(me, Bytes.of("w")).join();
        ns.election().resign(me).join();
        assertThat(keysUnder("esvc-ns/e/")).isZero();
    }
}
