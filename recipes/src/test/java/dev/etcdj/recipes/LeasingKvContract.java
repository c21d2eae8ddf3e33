package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.testing.Await;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leasing KV (Go's clientv3/leasing): reads served from the cache without a request, lease keys
 * laid out as Go's, invalidation by another leasing client's put, delete and txn, own writes, the
 * end of the session, and txn answers as the server gives them. Against real etcd and our server.
 */
abstract class LeasingKvContract extends RecipeContract {

    private static final String PFX = "leasing/";

    private final AtomicInteger calls = new AtomicInteger();
    private EtcdClient counted;
    private LeasingKv a;
    private LeasingKv b;

    @BeforeEach
    void leasing() {
        counted = EtcdClient.builder().endpoints(target().endpoint()).eventListener(new EventListener() {
            @Override
            public void callStart(String method, String endpoint) {
                calls.incrementAndGet();
            }
        }).build();
        a = LeasingKv.create(counted, PFX, 30);
        b = LeasingKv.create(other, PFX, 30);
    }

    @AfterEach
    void closeLeasing() {
        a.close();
        b.close();
        counted.close();
    }

    private static String value(GetResponse r) {
        return r.kvs().isEmpty() ? null : r.kvs().get(0).value().toStringUtf8();
    }

    @Test
    void aSecondReadIsServedFromTheCacheWithoutARequest() {
        client.kv().put("lkv-cache", "v1").join();
        assertThat(value(a.get("lkv-cache").join())).isEqualTo("v1");
        // Go's layout: the lease key is the prefix plus the key, empty, on the session's lease.
        KeyValue leaseKey = client.kv().get(PFX + "lkv-cache").join().kvs().get(0);
        assertThat(leaseKey.lease()).isEqualTo(a.session().leaseId());
        assertThat(leaseKey.value().toStringUtf8()).isEmpty();

        int before = calls.get();
        GetResponse cached = a.get("lkv-cache").join();
        assertThat(value(cached)).isEqualTo("v1");
        assertThat(cached.kvs().get(0).version()).isEqualTo(1);
        assertThat(calls.get()).isEqualTo(before);
        // Anything but a plain get goes to the server.
        a.get("lkv-cache", Options.serializable()).join();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void aPutThroughAnotherLeasingClientInvalidatesTheCache() {
        client.kv().put("lkv-put", "v1").join();
        assertThat(value(a.get("lkv-put").join())).isEqualTo("v1");
        b.put("lkv-put", "v2").join();
        // b's put waited for a to give its lease key up.
        assertThat(client.kv().get(PFX + "lkv-put").join().kvs()).isEmpty();
        assertThat(value(a.get("lkv-put").join())).isEqualTo("v2");
    }

    @Test
    void aDeleteThroughAnotherLeasingClientInvalidatesTheCache() {
        client.kv().put("lkv-del", "v1").join();
        a.get("lkv-del").join();
        assertThat(b.delete("lkv-del").join().deleted()).isEqualTo(1);
        assertThat(a.get("lkv-del").join().kvs()).isEmpty();
    }

    @Test
    void ownWritesAreReadBack() {
        client.kv().put("lkv-own", "v1").join();
        a.get("lkv-own").join();
        a.put("lkv-own", "v2").join();
        assertThat(value(a.get("lkv-own").join())).isEqualTo("v2");
        int before = calls.get();
        assertThat(value(a.get("lkv-own").join())).isEqualTo("v2");
        assertThat(calls.get()).isEqualTo(before);
    }

    @Test
    void theEndOfTheSessionDropsTheCache() {
        client.kv().put("lkv-session", "v1").join();
        a.get("lkv-session").join();
        client.lease().revoke(a.session().leaseId()).join();
        // A plain client's write is not seen by a live cache; once the session is gone it must be.
        client.kv().put("lkv-session", "v2").join();
        Await.until(WAIT, "the cache dropped with the session", () -> "v2".equals(value(a.get("lkv-session").join())));
        int before = calls.get();
        a.get("lkv-session").join();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void keysWithALeaseOfTheirOwnAreNotCached() {
        long lease = client.lease().grant(30).join().leaseId();
        client.kv().put("lkv-leased", "v", Options.lease(lease)).join();
        a.get("lkv-leased").join();
        int before = calls.get();
        a.get("lkv-leased").join();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void aTxnAnswersAsTheServerAndInvalidatesWhatItWrites() {
        client.kv().put("lkv-t1", "v1").join();
        a.get("lkv-t1").join();
        a.get("lkv-t2").join();
        TxnResponse won = b.txn().when(Cmp.value("lkv-t1").equalTo("v1"))
                .then(Op.put("lkv-t1", "x"), Op.put("lkv-t2", "y"), Op.get("lkv-t1"))
                .orElse(Op.get("lkv-t1"))
                .commit().join();
        assertThat(won.succeeded()).isTrue();
        assertThat(won.responses()).hasSize(3);
        assertThat(value(won.getResponse(2))).isEqualTo("x");
        assertThat(value(a.get("lkv-t1").join())).isEqualTo("x");
        assertThat(value(a.get("lkv-t2").join())).isEqualTo("y");

        long before = client.kv().get("lkv-t1").join().header().revision();
        TxnResponse lost = a.txn().when(Cmp.value("lkv-t1").equalTo("v1"))
                .then(Op.put("lkv-t1", "z"))
                .orElse(Op.get("lkv-t1"))
                .commit().join();
        assertThat(lost.succeeded()).isFalse();
        assertThat(value(lost.getResponse(0))).isEqualTo("x");
        // a held the leases of both keys: nothing to revoke, nothing written.
        assertThat(lost.header().revision()).isEqualTo(before);
        assertThat(value(b.get("lkv-t1").join())).isEqualTo("x");
    }

    @Test
    void aRangeDeleteRevokesEveryLeaseInTheRange() {
        client.kv().put("lkv-r/1", "a").join();
        client.kv().put("lkv-r/2", "b").join();
        a.get("lkv-r/1").join();
        a.get("lkv-r/2").join();
        assertThat(b.delete("lkv-r/", Options.prefix()).join().deleted()).isEqualTo(2);
        assertThat(a.get("lkv-r/1").join().kvs()).isEmpty();
        assertThat(a.get("lkv-r/2").join().kvs()).isEmpty();
        assertThat(client.kv().get(PFX + "lkv-r/", Options.prefix()).join().kvs()).extracting(kv -> kv.lease())
                .allMatch(l -> l == a.session().leaseId()).hasSizeLessThanOrEqualTo(2);
    }
}
