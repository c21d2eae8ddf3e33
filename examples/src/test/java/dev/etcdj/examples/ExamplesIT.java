package dev.etcdj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The examples against a fresh real etcd, in the seed's order, each printing what the seed says. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesIT {

    static RealEtcd etcd;
    static EtcdClient client;

    @BeforeAll
    static void start() throws Exception {
        etcd = new RealEtcd();
        client = EtcdClient.builder().endpoints(etcd.endpoint).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    static String run(Example e) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        e.run(client, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Lease, watch and cluster clients land separately; until then their examples are skipped, not failed. */
    static void assumeAvailable(Runnable probe) {
        try {
            probe.run();
        } catch (EtcdException e) {
            assumeTrue(e.code() != EtcdException.Code.UNIMPLEMENTED, e.getMessage());
        }
    }

    @Test
    @Order(1)
    void kv() throws Exception {
        assertThat(run(new KvPut())).isEqualTo("current revision: 2\n");
        assertThat(run(new KvGet())).isEqualTo("foo : bar\n");
        assertThat(run(new KvGetSortedPrefix())).isEqualTo("key_2 : value\nkey_1 : value\nkey_0 : value\n");
        assertThat(run(new KvDelete())).isEqualTo("Deleted 3 keys\n");
        assertThat(run(new KvCompact())).isEqualTo("compacted at revision 7\n");
        assertThat(run(new KvDo())).isEqualTo("put-key : 456\n");
        assertThat(run(new KvTxn())).isEqualTo("key : XYZ\n");
    }

    @Test
    @Order(2)
    void lease() throws Exception {
        assumeAvailable(() -> client.lease());
        assertThat(run(new LeaseCreate())).isEqualTo("lease granted with TTL 5s; foo attached\n");
        assertThat(run(new LeaseRevoke())).isEqualTo("number of keys: 0\n");
        assertThat(run(new LeaseKeepAlive())).isEqualTo("lease kept alive with TTL 5s\n");
        assertThat(run(new LeaseKeepAliveOnce())).isEqualTo("lease renewed once with TTL 5s\n");
    }

    @Test
    @Order(3)
    void watch() throws Exception {
        assumeAvailable(() -> client.watch());
        assertThat(run(new WatchKey())).isEqualTo("PUT \"foo\" : \"bar\"\n");
        assertThat(run(new WatchPrefix())).isEqualTo("PUT \"foo1\" : \"bar\"\n");
        assertThat(run(new WatchProgressNotify())).isEqualTo("wresp.IsProgressNotify: true\n");
    }

    @Test
    @Order(4)
    void cluster() throws Exception {
        assumeAvailable(() -> client.cluster());
        assertThat(run(new ClusterMemberList())).isEqualTo("members: 1\n");
        assertThat(run(new ClusterMemberLeader())).isEqualTo("leader: default\n");
    }
}
