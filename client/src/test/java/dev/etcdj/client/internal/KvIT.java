package dev.etcdj.client.internal;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.prevKv;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.BlockingKvClient;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.SortOrder;
import dev.etcdj.client.SortTarget;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.testing.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The KV path end to end against a real etcd. */
class KvIT {

    static EtcdProcess etcd;
    static EtcdClient client;
    static BlockingKvClient kv;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdProcess.builder().build();
        etcd.start();
        client = EtcdClient.builder().endpoints(etcd.endpoint()).build();
        kv = client.kv().blocking();
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

    @Test
    void putGetDelete() {
        PutResponse p1 = kv.put("kv/a", "1");
        assertThat(p1.header().revision()).isGreaterThan(1);
        assertThat(p1.prevKv()).isEmpty();
        PutResponse p2 = kv.put("kv/a", "2", prevKv());
        assertThat(p2.prevKv()).get().satisfies(prev -> assertThat(prev.value().toStringUtf8()).isEqualTo("1"));
        kv.put("kv/b", "3");

        GetResponse one = kv.get("kv/a");
        assertThat(one.kvs()).hasSize(1);
        assertThat(one.kvs().get(0).value().toStringUtf8()).isEqualTo("2");
        assertThat(one.kvs().get(0).version()).isEqualTo(2);
        assertThat(one.count()).isEqualTo(1);

        GetResponse all = kv.get("kv/", prefix(), Options.sort(SortTarget.KEY, SortOrder.DESCEND));
        assertThat(all.kvs()).extracting(k -> k.key().toStringUtf8()).containsExactly("kv/b", "kv/a");

        GetResponse old = kv.get("kv/a", revision(p1.header().revision()));
        assertThat(old.kvs().get(0).value().toStringUtf8()).isEqualTo("1");

        DeleteResponse d = kv.delete("kv/", prefix(), prevKv());
        assertThat(d.deleted()).isEqualTo(2);
        assertThat(d.prevKvs()).hasSize(2);
        assertThat(kv.get("kv/", prefix()).kvs()).isEmpty();
    }

    @Test
    void binaryKeysAndValues() {
        Bytes key = Bytes.of(new byte[] {0, (byte) 0xff, 1});
        Bytes value = Bytes.of(new byte[] {(byte) 0x80, 0});
        kv.put(key, value);
        assertThat(kv.get(key).kvs().get(0).value()).isEqualTo(value);
        assertThat(kv.delete(key).deleted()).isEqualTo(1);
    }

    @Test
    void txnWithNestedTxn() {
        kv.put("txn/k", "v");
        kv.put("txn/other", "x");
        TxnResponse r = client.kv().txn()
                .when(Cmp.value("txn/k").equalTo("v"), Cmp.version("txn/missing").equalTo(0))
                .then(Op.put("txn/k", "w"), Op.get("txn/k"),
                        Op.txn().when(Cmp.value("txn/other").equalTo("x")).then(Op.delete("txn/other")))
                .orElse(Op.get("txn/k"))
                .commit().join();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.responses()).hasSize(3);
        assertThat(r.putResponse(0).header().revision()).isGreaterThan(0);
        assertThat(r.getResponse(1).kvs().get(0).value().toStringUtf8()).isEqualTo("w");
        assertThat(r.txnResponse(2).succeeded()).isTrue();
        assertThat(r.txnResponse(2).deleteResponse(0).deleted()).isEqualTo(1);

        TxnResponse failed = kv.commit(Op.txn().when(Cmp.value("txn/k").equalTo("v")).orElse(Op.get("txn/k")));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.getResponse(0).kvs().get(0).value().toStringUtf8()).isEqualTo("w");
    }

    @Test
    void compactThenReadOldRevision() {
        long rev = kv.put("compact/k", "1").header().revision();
        kv.put("compact/k", "2");
        kv.compact(rev + 1, true);
        assertThatThrownBy(() -> kv.get("compact/k", revision(rev)))
                .isInstanceOf(CompactedException.class)
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> kv.get("compact/k", revision(rev + 1_000_000)))
                .isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void aResponseOverTheInboundLimitFailsWithGrpcGosText() {
        kv.put("big", "x".repeat(1000));
        try (EtcdClient small = EtcdClient.builder().endpoints(etcd.endpoint()).maxInboundMessageBytes(100).build()) {
            assertThatThrownBy(() -> small.kv().blocking().get("big"))
                    .isInstanceOf(dev.etcdj.client.EtcdException.class)
                    .hasMessageStartingWith("grpc: received message larger than max (")
                    .extracting(e -> ((dev.etcdj.client.EtcdException) e).code())
                    .isEqualTo(dev.etcdj.client.EtcdException.Code.RESOURCE_EXHAUSTED);
        }
    }

    @Test
    void emptyKeyIsRejectedByTheServer() {
        assertThatThrownBy(() -> kv.put("", "v"))
                .isInstanceOf(EmptyKeyException.class)
                .hasMessage("etcdserver: key is not provided");
    }
}
