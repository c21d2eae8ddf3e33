package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EndpointPolicy;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberAddResponse;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdTargetExtension;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's endpoints against a real 3-member etcd cluster, where members matter: sync and auto
 * sync follow a member added and then removed (calls reach the new member, the removed one is
 * dropped), round-robin spreads calls over every member and skips a killed one, a pinned client
 * keeps to one member, and per-member calls reach the member named, also one the client does not
 * list. Only real etcd has members; what holds on one member is {@link EndpointsContract}.
 */
class ClusterEndpointsIT extends ClusterSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcdCluster(3, "endpoints");

    /** Hears where each successful call ended and every change of the endpoints. */
    private static final class Recorder implements EventListener {
        final List<String> succeededOn = new CopyOnWriteArrayList<>();
        final List<List<String>> changes = new CopyOnWriteArrayList<>();

        @Override
        public void callEnd(String method, String endpoint, Duration duration, Outcome outcome, EtcdException error) {
            if (outcome == Outcome.SUCCESS && method.equals("KV/Range")) {
                succeededOn.add(endpoint);
            }
        }

        @Override
        public void endpointsChanged(List<String> endpoints) {
            changes.add(endpoints);
        }

        Set<String> lastSucceededOn(int n) {
            List<String> all = new ArrayList<>(succeededOn);
            return new HashSet<>(all.subList(Math.max(0, all.size() - n), all.size()));
        }
    }

    /**
     * n gets, returning once the recorder has heard each of them: a listener hears callEnd as the
     * call completes, which can be just after the caller's blocking get has returned.
     */
    private void gets(EtcdClient c, Recorder r, int n) {
        int target = r.succeededOn.size() + n;
        gets(c, n);
        Await.until(WAIT, n + " calls heard", () -> r.succeededOn.size() >= target);
    }

    private void gets(EtcdClient c, int n) {
        for (int i = 0; i < n; i++) {
            c.kv().blocking().get("/endpoints/probe");
        }
    }

    @Test
    void syncAndAutoSyncFollowAMemberAddedAndThenRemoved() {
        List<String> three = cluster().endpoints();
        Recorder r = new Recorder();
        try (EtcdClient admin = EtcdClient.builder().endpoints(three).build();
             EtcdClient synced = EtcdClient.builder().endpoints(three.get(0)).eventListener(r)
                     .autoSyncInterval(Duration.ofMillis(200)).build()) {
            // An explicit sync from one member learns them all.
            try (EtcdClient once = EtcdClient.fromUrl(three.get(1))) {
                assertThat(once.sync().join()).containsExactlyInAnyOrderElementsOf(three);
                assertThat(once.endpoints()).containsExactlyInAnyOrderElementsOf(three);
            }
            Await.until(WAIT, "the auto sync learnt every member", () -> Set.copyOf(synced.endpoints()).equals(Set.copyOf(three)));

            // A fourth member: announced, then started with the cluster as it is.
            int clientPort = FreePorts.next();
            int peerPort = FreePorts.next();
            String peerUrl = "http://127.0.0.1:" + peerPort;
            // etcd refuses a new member while some member has been connected for less than 5 s.
            AtomicReference<MemberAddResponse> adding = new AtomicReference<>();
            Await.until(WAIT, "the cluster took a new member", () -> {
                try {
                    adding.set(admin.cluster().blocking().memberAdd(List.of(peerUrl)));
                    return true;
                } catch (EtcdUnavailableException e) {
                    if (e.error() != EtcdError.UNHEALTHY) {
                        throw e;
                    }
                    return false;
                }
            });
            MemberAddResponse added = adding.get();
            String initialCluster = cluster().members().stream().map(m -> m.memberName() + "=" + m.peerUrl())
                    .collect(Collectors.joining(",")) + ",endpoints-new=" + peerUrl;
            try (EtcdProcess fourth = EtcdProcess.builder().name("endpoints-new").clientPort(clientPort)
                    .peerPort(peerPort).initialCluster(initialCluster).args("--initial-cluster-state", "existing")
                    .startTimeout(WAIT).build()) {
                // Before it starts it has no name and no client URL: not an endpoint yet (Go's rule).
                assertThat(added.member().name()).isEmpty();
                fourth.start();
                String newEndpoint = fourth.endpoint();
                Await.until(WAIT, "the auto sync learnt the new member", () -> synced.endpoints().contains(newEndpoint));
                assertThat(synced.endpoints()).hasSize(4);
                assertThat(r.changes).anySatisfy(eps -> assertThat(eps).contains(newEndpoint));
                // Calls reach it.
                Await.until(WAIT, "a call succeeded on the new member", () -> {
                    gets(synced, r, 4);
                    return r.succeededOn.contains(newEndpoint);
                });

                // Removed: dropped from the endpoints, and calls no longer go there.
                admin.cluster().blocking().memberRemove(added.member().id());
                Await.until(WAIT, "the auto sync dropped the removed member",
                        () -> !synced.endpoints().contains(newEndpoint));
                assertThat(synced.endpoints()).containsExactlyInAnyOrderElementsOf(three);
                r.succeededOn.clear();
                gets(synced, r, 12);
                assertThat(r.succeededOn).hasSize(12).doesNotContain(newEndpoint);
                assertThat(Set.copyOf(r.succeededOn)).containsExactlyInAnyOrderElementsOf(three);
            } finally {
                List<Member> left = admin.cluster().blocking().memberList().members();
                left.stream().filter(m -> m.id() == added.member().id()).findAny()
                        .ifPresent(m -> admin.cluster().blocking().memberRemove(m.id()));
            }
        }
    }

    @Test
    void roundRobinSpreadsCallsOverEveryMemberAndSkipsAKilledOne() {
        List<String> three = cluster().endpoints();
        Recorder r = new Recorder();
        try (EtcdClient c = EtcdClient.builder().endpoints(three).eventListener(r).build()) {
            gets(c, r, 30);
            assertThat(Set.copyOf(r.succeededOn)).containsExactlyInAnyOrderElementsOf(three);
            // Each member had its share, not one member most of them.
            for (String e : three) {
                assertThat(r.succeededOn.stream().filter(e::equals).count()).as(e).isGreaterThanOrEqualTo(5);
            }

            String dead = three.get(2);
            cluster().member(2).kill();
            r.succeededOn.clear();
            gets(c, r, 30);            // every one succeeds: an attempt on the dead member is retried elsewhere
            assertThat(r.succeededOn).hasSize(30).doesNotContain(dead);
            assertThat(Set.copyOf(r.succeededOn)).containsExactlyInAnyOrder(three.get(0), three.get(1));
        }
    }

    @Test
    void aPinnedClientKeepsToOneMemberUntilItDies() {
        List<String> three = cluster().endpoints();
        Recorder r = new Recorder();
        try (EtcdClient c = EtcdClient.builder().endpoints(three).endpointPolicy(EndpointPolicy.pinned())
                .eventListener(r).build()) {
            gets(c, r, 10);
            assertThat(Set.copyOf(r.succeededOn)).containsExactly(three.get(0));
            cluster().member(0).kill();
            r.succeededOn.clear();
            gets(c, r, 10);
            assertThat(Set.copyOf(r.succeededOn)).hasSize(1).doesNotContain(three.get(0));
        }
    }

    @Test
    void perMemberCallsReachTheMemberNamedEvenOneTheClientDoesNotList() {
        List<String> three = cluster().endpoints();
        try (EtcdClient c = EtcdClient.builder().endpoints(three.get(0)).build()) {
            Set<Long> ids = new HashSet<>();
            for (String e : three) {
                StatusResponse s = c.maintenance().blocking().status(e);
                ids.add(s.header().memberId());
                try (EtcdClient one = c.forEndpoint(e)) {
                    assertThat(one.maintenance().blocking().status(e).header().memberId())
                            .isEqualTo(s.header().memberId());
                    assertThat(one.maintenance().blocking().hashKv(e, 0).header().memberId())
                            .isEqualTo(s.header().memberId());
                    one.maintenance().blocking().defragment(e);
                }
            }
            assertThat(ids).hasSize(3);
            assertThat(c.endpoints()).containsExactly(three.get(0));
        }
    }
}
