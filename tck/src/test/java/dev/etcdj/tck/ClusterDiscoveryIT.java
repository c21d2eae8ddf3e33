package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.EtcdTargetExtension;
import dev.etcdj.testing.dns.LoopbackDns;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNS SRV discovery of a real 3-member etcd cluster: one SRV record per member (each target its own
 * name with an A record in a {@link LoopbackDns}) gives a client of all three, which keeps putting
 * and getting when one member stops. One member is {@link DiscoveryContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterDiscoveryIT {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcdCluster(3, "discovery");

    private EtcdCluster cluster;
    private LoopbackDns dns;

    @BeforeAll
    void start() throws IOException {
        cluster = etcd.target(EtcdCluster.class);
        cluster.awaitLeader(Duration.ofSeconds(30));
        dns = LoopbackDns.start();
        for (int i = 0; i < cluster.size(); i++) {
            int port = URI.create(cluster.member(i).endpoint()).getPort();
            dns.srv("_etcd-client._tcp.cluster.test", 0, 0, port, "m" + i + ".cluster.test")
                    .address("m" + i + ".cluster.test", "127.0.0.1");
        }
    }

    @AfterAll
    void stop() {
        if (dns != null) {
            dns.close();
        }
    }

    @AfterEach
    void restoreCluster() {
        FailoverMembers.restore(cluster);
    }

    @Test
    void aClientOfEveryMemberFoundInDnsSurvivesAStoppedMember() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            expected.add("http://127.0.0.1:" + URI.create(cluster.member(i).endpoint()).getPort());
        }
        try (EtcdClient c = EtcdClient.builder().discoverySrv("cluster.test").dnsServer(dns.address())
                .dialTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10)).build()) {
            assertThat(c.endpoints()).containsExactlyInAnyOrderElementsOf(expected);
            c.kv().blocking().put("/discovery/before", "1");
            int stopped = cluster.leaderIndex() == 0 ? 1 : 0;
            cluster.member(stopped).stop();
            for (int i = 0; i < 20; i++) {
                c.kv().blocking().put("/discovery/k" + i, "v" + i);
                assertThat(c.kv().blocking().get("/discovery/k" + i).kvs().get(0).value().toStringUtf8())
                        .isEqualTo("v" + i);
            }
            assertThat(c.kv().blocking().get("/discovery/before").kvs()).hasSize(1);
            assertThat(c.endpoints()).hasSize(3);
        }
    }
}
