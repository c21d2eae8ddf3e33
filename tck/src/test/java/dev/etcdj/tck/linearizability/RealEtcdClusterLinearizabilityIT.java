package dev.etcdj.tck.linearizability;

import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FaultProxy;
import dev.etcdj.testing.linearizability.HistoryRecorder;
import dev.etcdj.testing.linearizability.WatchLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real 3-member etcd through our client, each member behind its own fault proxy for clients and
 * another for its peers (all raft traffic between members goes through proxies): the leader
 * SIGKILLed and restarted, the leader frozen (SIGSTOP: it comes back believing it still leads),
 * a member cut off from the client both ways and one way (requests land, answers are lost), the
 * leader cut off from its peers (its clients still reach it), the leader's messages to its
 * followers lost while theirs reach it (a one-way peer partition), a follower's messages to the
 * leader lost, all peer connections reset, all client connections dropped, a slow link;
 * compactions in between. The checks are {@link FaultRunContract}'s.
 */
class RealEtcdClusterLinearizabilityIT extends FaultRunContract {
    @Override
    FaultRun.Summary runFaults(HistoryRecorder history, WatchLog watches) throws Exception {
        List<FaultProxy> proxies = new ArrayList<>();
        try (EtcdCluster cluster = EtcdCluster.builder().size(3).peerProxies(true).build()) {
            cluster.start();
            for (EtcdProcess m : cluster.members()) {
                proxies.add(FaultProxy.start(m.endpoint()));
            }
            List<String> endpoints = proxies.stream().map(FaultProxy::endpoint).toList();
            int[] victim = new int[1];
            // Peer faults alternate with the others, so a CI-length run meets both kinds.
            List<FaultRun.Fault> faults = List.of(
                    Faults.of("kill-leader", () -> {
                        victim[0] = cluster.awaitLeader(Duration.ofSeconds(30));
                        cluster.member(victim[0]).kill();
                    }, () -> cluster.member(victim[0]).start()),
                    Faults.of("isolate-leader-from-peers", () -> cluster.isolate(victim[0] = cluster.awaitLeader(
                            Duration.ofSeconds(30))), cluster::healPeers),
                    Faults.of("partition-member", () -> proxies.get(victim[0] = next(victim[0])).blackhole(true),
                            () -> proxies.get(victim[0]).blackhole(false)),
                    Faults.of("peer-one-way-leader-to-followers", () -> {
                        int leader = victim[0] = cluster.awaitLeader(Duration.ofSeconds(30));
                        cluster.cutPeerLink(leader, next(leader));
                        cluster.cutPeerLink(leader, next(next(leader)));
                    }, cluster::healPeers),
                    Faults.of("pause-leader", () -> {
                        victim[0] = cluster.awaitLeader(Duration.ofSeconds(30));
                        cluster.member(victim[0]).pause();
                    }, () -> cluster.member(victim[0]).resume()),
                    Faults.of("peer-one-way-follower-to-leader", () -> {
                        int leader = cluster.awaitLeader(Duration.ofSeconds(30));
                        cluster.cutPeerLink(victim[0] = next(leader), leader);
                    }, cluster::healPeers),
                    Faults.of("one-way-partition", () -> proxies.get(victim[0] = next(victim[0]))
                            .blackhole(FaultProxy.Direction.TO_CLIENT), () -> proxies.get(victim[0]).blackhole(false)),
                    Faults.of("reset-peer-connections", () -> {
                        for (int i = 0; i < cluster.size(); i++) {
                            cluster.peerProxy(i).dropConnections();
                        }
                    }, () -> { }),
                    Faults.of("drop-connections", () -> proxies.forEach(FaultProxy::dropConnections), () -> { }),
                    Faults.of("delay-200ms", () -> proxies.get(victim[0] = next(victim[0])).delay(Duration.ofMillis(200)),
                            () -> proxies.get(victim[0]).delay(Duration.ZERO)));
            return FaultRun.run(() -> endpoints, faults, FaultRun.duration(20),
                    Long.getLong("etcdj.lin.seed", 23), history, watches);
        } finally {
            proxies.forEach(FaultProxy::close);
        }
    }

    private static int next(int i) {
        return (i + 1) % 3;
    }
}
