package dev.etcdj.recipes;

import static dev.etcdj.client.Options.serializable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdTargetExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OrderedKv} where it matters: a real 3-member etcd cluster in which one member is cut off
 * from the others (its client port still answers) and falls behind. A reader that saw the newest
 * revision through a healthy member and then fails over to the stale one gets no older answer: the
 * read is refused with {@link OrderedKv.OrderViolationException} while the member lags, and answered
 * once it has caught up. Our server has no members; {@link OrderedKvContract} covers one member.
 */
class ClusterOrderedKvIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.of(
            () -> EtcdCluster.builder().size(3).peerProxies(true).namePrefix("ordered").build());

    @Test
    void aReaderFailingOverToAStaleMemberNeverGoesBackInRevision() {
        EtcdCluster cluster = etcd.target(EtcdCluster.class);
        int leader = cluster.awaitLeader(WAIT);
        int stale = (leader + 1) % 3;
        int fresh = (leader + 2) % 3;
        List<String> healthy = new ArrayList<>(cluster.endpoints());
        String staleEndpoint = healthy.remove(stale);
        try (EtcdClient writer = EtcdClient.builder().endpoints(healthy).build();
                EtcdClient reader = EtcdClient.builder().endpoints(cluster.member(fresh).endpoint()).build()) {
            writer.kv().put("ordered/k", "before").join();
            Await.until(WAIT, "the member to be cut off has the first write",
                    () -> !get(reader, staleEndpoint).kvs().isEmpty());
            cluster.isolate(stale);
            try {
                long newest = 0;
                for (int i = 0; i < 5; i++) {
                    newest = writer.kv().put("ordered/k", "after-" + i).join().header().revision();
                }
                OrderedKv kv = OrderedKv.wrap(reader.kv(), OrderedKv.retrying(2, Duration.ofMillis(50)));
                assertThat(kv.get("ordered/k").join().header().revision()).isGreaterThanOrEqualTo(newest);

                // Fail over to the member that was cut off: its own answer is older, the view refuses it.
                reader.setEndpoints(List.of(staleEndpoint));
                GetResponse raw = reader.kv().get("ordered/k", serializable()).join();
                assertThat(raw.header().revision()).isLessThan(newest);
                assertThat(raw.kvs().get(0).value().toStringUtf8()).isEqualTo("before");
                assertThatThrownBy(() -> kv.get("ordered/k", serializable()).join())
                        .isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(OrderedKv.OrderViolationException.class);
                assertThat(kv.lastRevision()).isGreaterThanOrEqualTo(newest);

                cluster.healPeers();
                long seen = newest;
                Await.until(WAIT, "the member caught up after the partition healed",
                        () -> reader.kv().get("ordered/k", serializable()).join().header().revision() >= seen);
                GetResponse caughtUp = kv.get("ordered/k", serializable()).join();
                assertThat(caughtUp.header().revision()).isGreaterThanOrEqualTo(newest);
                assertThat(caughtUp.kvs().get(0).value().toStringUtf8()).isEqualTo("after-4");
            } finally {
                cluster.healPeers();
            }
        }
    }

    /** A serializable get of the key answered by that member alone. */
    private static GetResponse get(EtcdClient via, String memberEndpoint) {
        try (EtcdClient one = via.forEndpoint(memberEndpoint)) {
            return one.kv().get("ordered/k", serializable()).join();
        }
    }
}
