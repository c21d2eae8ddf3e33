package dev.etcdj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
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

    /** The endpoint of this class's fresh server. */
    abstract String endpoint();

    @BeforeEach
    void connect() {
        if (client == null) {
            client = EtcdClient.builder().endpoints(endpoint()).build();
        }
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    static String run(Example e) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        e.run(client, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
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
        assertThat(run(new LeaseCreate())).isEqualTo("lease granted with TTL 5s; foo attached\n");
        assertThat(run(new LeaseRevoke())).isEqualTo("number of keys: 0\n");
        assertThat(run(new LeaseKeepAlive())).isEqualTo("lease kept alive with TTL 5s\n");
        assertThat(run(new LeaseKeepAliveOnce())).isEqualTo("lease renewed once with TTL 5s\n");
    }

    @Test
    @Order(3)
    void watch() throws Exception {
        assertThat(run(new WatchKey())).isEqualTo("PUT \"foo\" : \"bar\"\n");
        assertThat(run(new WatchPrefix())).isEqualTo("PUT \"foo1\" : \"bar\"\n");
        assertThat(run(new WatchProgressNotify())).isEqualTo("wresp.IsProgressNotify: true\n");
    }

    @Test
    @Order(4)
    void cluster() throws Exception {
        assertThat(run(new ClusterMemberList())).isEqualTo("members: 1\n");
        String name = client.cluster().memberList().join().members().get(0).name();
        assertThat(run(new ClusterMemberLeader())).isEqualTo("leader: " + name + "\n");
    }
}
