package dev.etcdj.tck;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Futures;
import dev.etcdj.client.Member;
import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps the member ID in a response header (who answered) to the harness's member index (whom to
 * kill), through the member names the cluster was started with.
 */
final class FailoverMembers {

    /** Makes {@code cluster} whole for the next test: killed members back, paused ones resumed, a leader. */
    static void restore(EtcdCluster cluster) {
        for (EtcdProcess m : cluster.members()) {
            if (m.isRunning() && m.isPaused()) {
                m.resume();
            }
        }
        cluster.start();
        cluster.awaitLeader(Duration.ofSeconds(30));
    }

    private final Map<Long, Integer> indexById = new HashMap<>();
    private final EtcdCluster cluster;

    FailoverMembers(EtcdCluster cluster, EtcdClient client) {
        this.cluster = cluster;
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < cluster.size(); i++) {
            byName.put(cluster.member(i).memberName(), i);
        }
        for (Member m : Futures.await(client.cluster().memberList()).members()) {
            Integer i = byName.get(m.name());
            if (i == null) {
                throw new IllegalStateException("member " + m + " is not one the harness started: " + byName);
            }
            indexById.put(m.id(), i);
        }
    }

    int indexOf(long memberId) {
        Integer i = indexById.get(memberId);
        if (i == null) {
            throw new IllegalStateException("no member with ID " + Long.toHexString(memberId) + " in " + cluster);
        }
        return i;
    }

    String describe(long memberId) {
        Integer i = indexById.get(memberId);
        return i == null ? "unknown(" + Long.toHexString(memberId) + ")" : "member " + i;
    }
}
