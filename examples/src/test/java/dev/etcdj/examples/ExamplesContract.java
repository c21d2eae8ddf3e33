package dev.etcdj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.testing.EtcdTargetExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed's examples against a fresh server, in the seed's order, each printing what the seed
 * says. Subclassed once per target (real etcd, our server): the same examples, the same output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ExamplesContract {

    static EtcdClient client;

    @BeforeEach
    void connect() {
        if (client == null) {
            String endpoint = EtcdTargetExtension.declaredBy(getClass()).target().endpoint();
            client = EtcdClient.builder().endpoints(endpoint).build();
        }
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** What the examples print, one after the other. */
    static String run(Example... examples) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Example e : examples) {
            e.run(client, new PrintStream(b, true, StandardCharsets.UTF_8));
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void kv() throws Exception {
        assertThat(run(new KvPut(), new KvGet(), new KvGetSortedPrefix(), new KvDelete(), new KvCompact(),
                new KvDo(), new KvTxn())).isEqualTo("""
                current revision: 2
                foo : bar
                key_2 : value
                key_1 : value
                key_0 : value
                Deleted 3 keys
                compacted at revision 7
                put-key : 456
                key : XYZ
                """);
    }

    @Test
    @Order(2)
    void lease() throws Exception {
        assertThat(run(new LeaseCreate(), new LeaseRevoke(), new LeaseKeepAlive(), new LeaseKeepAliveOnce())).isEqualTo("""
                lease granted with TTL 5s; foo attached
                number of keys: 0
                lease kept alive with TTL 5s
                lease renewed once with TTL 5s
                """);
    }

    @Test
    @Order(3)
    void watch() throws Exception {
        assertThat(run(new WatchKey(), new WatchPrefix(), new WatchProgressNotify())).isEqualTo("""
                PUT "foo" : "bar"
                PUT "foo1" : "bar"
                wresp.IsProgressNotify: true
                """);
    }

    @Test
    @Order(4)
    void cluster() throws Exception {
        assertThat(run(new ClusterMemberList())).isEqualTo("members: 1\n");
        String name = client.cluster().memberList().join().members().get(0).name();
        assertThat(run(new ClusterMemberLeader())).isEqualTo("leader: " + name + "\n");
    }
}
