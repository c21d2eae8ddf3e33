package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One cluster for the class (three etcd processes are not cheap on a 2-core machine); ordered steps. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdClusterIT {
    private static final Duration ELECTION = Duration.ofSeconds(20);
    private static EtcdCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = EtcdCluster.builder().size(3).peerProxies(true).build();
        cluster.start();
    }

    @AfterAll
    static void closeCluster() {
        if (cluster != null) {
            List<ProcessHandle> handles = cluster.members().stream()
                    .filter(EtcdProcess::isRunning).map(EtcdProcess::processHandle).collect(Collectors.toList());
            cluster.close();
            assertThat(handles).noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    @Order(1)
    void threeMembersOnDistinctPortsAllHealthyWithOneLeader() {
        assertThat(cluster.endpoints()).hasSize(3).doesNotHaveDuplicates();
        for (String endpoint : cluster.endpoints()) {
            assertThat(EtcdHttp.healthy(endpoint, Duration.ofSeconds(2))).as(endpoint).isTrue();
        }
        int leader = cluster.awaitLeader(ELECTION);
        assertThat(leader).isBetween(0, 2);

        // Every member names the same leader.
        List<String> leaders = cluster.endpoints().stream()
                .map(e -> EtcdHttp.status(e, Duration.ofSeconds(2)).orElseThrow().leaderId())
                .distinct().collect(Collectors.toList());
        assertThat(leaders).hasSize(1);
    }

    @Test
    @Order(2)
    void aWriteOnOneMemberIsReadOnAnother() throws Exception {
        TestHttp.put(cluster.member(0).endpoint(), "replicated", "yes");
        assertThat(TestHttp.get(cluster.member(2).endpoint(), "replicated")).contains(TestHttp.b64("yes"));
    }

    @Test
    @Order(3)
    void killingTheLeaderElectsAnotherAndTheOldLeaderRejoins() throws Exception {
        int oldLeader = cluster.awaitLeader(ELECTION);

        cluster.member(oldLeader).kill();
        int newLeader = cluster.awaitNewLeader(oldLeader, ELECTION);

        assertThat(newLeader).isNotEqualTo(oldLeader);
        TestHttp.put(cluster.member(newLeader).endpoint(), "after-failover", "ok");

        cluster.member(oldLeader).start(); // the other two have quorum, so it becomes healthy alone
        assertThat(TestHttp.get(cluster.member(oldLeader).endpoint(), "after-failover"))
                .contains(TestHttp.b64("ok"));
    }

    @Test
    @Order(4)
    void aPausedMemberIsSkippedAndCatchesUpAfterResume() throws Exception {
        int follower = (cluster.awaitLeader(ELECTION) + 1) % 3;
        cluster.member(follower).pause();
        try {
            assertThat(cluster.awaitLeader(ELECTION)).isNotEqualTo(follower);
            TestHttp.put(cluster.member((follower + 1) % 3).endpoint(), "while-paused", "v");
        } finally {
            cluster.member(follower).resume();
        }
        cluster.member(follower).awaitHealthy(ELECTION);
    }

    @Test
    @Order(5)
    void aLeaderCutOffFromItsPeersIsReplacedAndCatchesUpAfterHealing() throws Exception {
        int oldLeader = cluster.awaitLeader(ELECTION);
        cluster.isolate(oldLeader);
        int newLeader;
        try {
            // Its client port still answers, and it may still call itself leader for a moment.
            assertThat(EtcdHttp.status(cluster.member(oldLeader).endpoint(), Duration.ofSeconds(2))).isPresent();
            newLeader = cluster.awaitNewLeader(oldLeader, ELECTION);
            TestHttp.put(cluster.member(newLeader).endpoint(), "while-isolated", "v");
        } finally {
            cluster.healPeers();
        }
        Await.until(ELECTION, "the isolated member to catch up", () -> uncheckedGet(oldLeader, "while-isolated"));
    }

    @Test
    @Order(6)
    void aLeaderWhoseMessagesNoLongerReachItsFollowersIsReplaced() throws Exception {
        int oldLeader = cluster.awaitLeader(ELECTION);
        try {
            cluster.cutPeerLink(oldLeader, (oldLeader + 1) % 3);
            cluster.cutPeerLink(oldLeader, (oldLeader + 2) % 3);
            cluster.awaitNewLeader(oldLeader, ELECTION);
        } finally {
            cluster.healPeers();
        }
        Await.until(ELECTION, "a write through the old leader after healing", () -> {
            try {
                TestHttp.put(cluster.member(oldLeader).endpoint(), "after-one-way", "v");
                return true;
            } catch (Exception e) {
                return false; // e.g. "leader changed" while it steps down: asked again
            }
        });
        Await.until(ELECTION, "the write on another member", () -> uncheckedGet((oldLeader + 1) % 3, "after-one-way"));
    }

    private static boolean uncheckedGet(int member, String key) {
        try {
            return TestHttp.get(cluster.member(member).endpoint(), key).contains(TestHttp.b64("v"));
        } catch (Exception e) {
            return false; // not caught up or not answering yet: asked again
        }
    }

    @Test
    @Order(7)
    void wholeClusterRestartsFromItsData() throws Exception {
        cluster.kill();
        assertThat(cluster.members()).noneMatch(EtcdProcess::isRunning);

        cluster.start(); // starts all stopped members together: none could be healthy alone

        cluster.awaitLeader(ELECTION);
        assertThat(TestHttp.get(cluster.endpoint(), "replicated")).contains(TestHttp.b64("yes"));
    }
}
