package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.GetOption;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.testing.Await;
import java.util.List;
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
        // A historical read goes to the server.
        a.get("lkv-cache", Options.revision(cached.kvs().get(0).modRevision())).join();
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void aGetWithOptionsOfACachedKeyIsAnsweredFromTheCacheAsTheServerWould() {
        client.kv().put("lkv-opts", "v1").join();
        KeyValue kv = client.kv().put("lkv-opts", "v2").thenCompose(p -> client.kv().get("lkv-opts")).join().kvs().get(0);
        long mod = kv.modRevision();
        long create = kv.createRevision();
        a.get("lkv-opts").join();
        List<GetOption[]> asked = List.of(
                new GetOption[] {Options.serializable()}, new GetOption[] {Options.keysOnly()},
                new GetOption[] {Options.countOnly()}, new GetOption[] {Options.limit(1)},
                new GetOption[] {Options.minModRevision(mod)}, new GetOption[] {Options.minModRevision(mod + 1)},
                new GetOption[] {Options.maxModRevision(mod - 1)}, new GetOption[] {Options.minCreateRevision(create + 1)},
                new GetOption[] {Options.maxCreateRevision(create)}, new GetOption[] {Options.serializable(), Options.keysOnly()});
        for (GetOption[] options : asked) {
            int before = calls.get();
            GetResponse mine = a.get("lkv-opts", options).join();
            assertThat(calls.get()).as("no request for %s", List.of(options)).isEqualTo(before);
            GetResponse server = client.kv().get("lkv-opts", options).join();
            assertThat(mine.kvs()).as("kvs for %s", List.of(options)).isEqualTo(server.kvs());
            assertThat(mine.count()).as("count for %s", List.of(options)).isEqualTo(server.count());
            assertThat(mine.more()).isEqualTo(server.more());
        }
        // A key not cached: a serializable get goes to the server and takes no lease; a linearizable
        // one with options takes it, and answers as the server would.
        client.kv().put("lkv-opts-other", "o").join();
        int before = calls.get();
        assertThat(value(a.get("lkv-opts-other", Options.serializable()).join())).isEqualTo("o");
        assertThat(calls.get()).isEqualTo(before + 1);
        assertThat(client.kv().get(PFX + "lkv-opts-other").join().kvs()).isEmpty();
        GetResponse counted = a.get("lkv-opts-other", Options.countOnly()).join();
        assertThat(counted.kvs()).isEmpty();
        assertThat(counted.count()).isEqualTo(1);
        assertThat(client.kv().get(PFX + "lkv-opts-other").join().kvs()).hasSize(1);
        before = calls.get();
        assertThat(value(a.get("lkv-opts-other").join())).isEqualTo("o");
        assertThat(calls.get()).isEqualTo(before);
        // Once another leasing client writes the key, the cached answer is gone for every option.
        b.put("lkv-opts", "v3").join();
        assertThat(value(a.get("lkv-opts", Options.serializable()).join())).isEqualTo("v3");
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

    /** Whether {@code kv} holds the lease key of {@code key} on its current, live session. */
    private boolean leasedOnCurrentSession(LeasingKv kv, String key) {
        Session s = kv.session();
        var lk = client.kv().get(PFX + key).join().kvs();
        return s.isAlive() && !lk.isEmpty() && lk.get(0).lease() == s.leaseId();
    }

    @Test
    void aNewSessionFollowsTheEndOfTheOldAndCachingResumesOnIt() {
        client.kv().put("lkv-session", "v1").join();
        a.get("lkv-session").join();
        Session first = a.session();
        client.lease().revoke(first.leaseId()).join();
        // A plain client's write is not seen by a live cache; once the session is gone it must be.
        client.kv().put("lkv-session", "v2").join();
        Await.until(WAIT, "the cache dropped with the session, the key leased again on a new one",
                () -> "v2".equals(value(a.get("lkv-session").join())) && leasedOnCurrentSession(a, "lkv-session"));
        assertThat(first.isAlive()).isFalse();
        assertThat(a.session().leaseId()).isNotEqualTo(first.leaseId());
        assertThat(client.lease().timeToLive(a.session().leaseId(), false).join().grantedTtl()).isEqualTo(30);

        int before = calls.get();
        assertThat(value(a.get("lkv-session").join())).isEqualTo("v2");
        assertThat(calls.get()).as("served from the new session's cache").isEqualTo(before);
        // The new session's lease key is honoured: another leasing client's write is seen at once.
        b.put("lkv-session", "v3").join();
        assertThat(value(a.get("lkv-session").join())).isEqualTo("v3");
        b.delete("lkv-session").join();
        assertThat(a.get("lkv-session").join().kvs()).isEmpty();
    }

    @Test
    void noStaleReadIsServedWhileTheSessionIsReplaced() {
        client.kv().put("lkv-swap", "0").join();
        a.get("lkv-swap").join();
        Session first = a.session();
        long firstLease = first.leaseId();
        client.lease().revoke(firstLease).join();
        // Until a learns that its lease is gone it may serve what it cached (as Go's leasing KV does);
        // from then on, every value b writes a reads back, whichever session it is on at that moment.
        Await.until(WAIT, "a noticed its session ended", () -> !first.isAlive());
        for (int i = 1; i <= 20; i++) {
            String v = Integer.toString(i);
            b.put("lkv-swap", v).join();
            assertThat(value(a.get("lkv-swap").join())).as("read after b wrote %s", v).isEqualTo(v);
        }
        Await.until(WAIT, "a new session", () -> a.session().isAlive() && a.session().leaseId() != firstLease);
        b.put("lkv-swap", "last").join();
        assertThat(value(a.get("lkv-swap").join())).isEqualTo("last");
        Await.until(WAIT, "the key leased on the new session", () -> {
            a.get("lkv-swap").join();
            return leasedOnCurrentSession(a, "lkv-swap");
        });
        b.put("lkv-swap", "after").join();
        assertThat(value(a.get("lkv-swap").join())).isEqualTo("after");
    }

    @Test
    void closeEndsTheSessionForGood() {
        client.kv().put("lkv-closed", "v1").join();
        a.get("lkv-closed").join();
        Session s = a.session();
        a.close();
        assertThat(s.isAlive()).isFalse();
        assertThat(client.kv().get(PFX + "lkv-closed").join().kvs()).as("lease key gone with the lease").isEmpty();
        // Reads still work, from the server, and no session takes the old one's place.
        client.kv().put("lkv-closed", "v2").join();
        int before = calls.get();
        assertThat(value(a.get("lkv-closed").join())).isEqualTo("v2");
        assertThat(value(a.get("lkv-closed").join())).isEqualTo("v2");
        assertThat(calls.get()).isEqualTo(before + 2);
        assertThat(a.session()).isSameAs(s);
        assertThat(client.kv().get(PFX + "lkv-closed").join().kvs()).isEmpty();
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
