package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.KvClient;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Namespaced clients: keys, deletes, transactions, watches and recipes stay inside their prefix.
 * Run against real etcd (the oracle) and against our server, by the two subclasses.
 */
abstract class NamespaceContract extends RecipeContract {

    private static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.key().toStringUtf8()).toList();
    }

    @Test
    void twoNamespacesDoNotSeeEachOthersKeys() {
        KvClient a = Namespace.kv(client.kv(), "iso-a/");
        KvClient b = Namespace.kv(client.kv(), "iso-b/");
        a.put("k", "from-a").join();
        a.put("only-a", "1").join();
        b.put("k", "from-b").join();
        // A key just outside both: a from-key range must not leak into it.
        client.kv().put("iso-c", "outside").join();

        assertThat(a.get("k").join().kvs().get(0).value().toStringUtf8()).isEqualTo("from-a");
        assertThat(b.get("k").join().kvs().get(0).value().toStringUtf8()).isEqualTo("from-b");
        assertThat(keys(a.get("", Options.prefix()).join().kvs())).containsExactly("k", "only-a");
        assertThat(keys(b.get("", Options.fromKey()).join().kvs())).containsExactly("k");
        assertThat(keys(a.get("k", Options.fromKey()).join().kvs())).containsExactly("k", "only-a");
        assertThat(b.get("only-a").join().kvs()).isEmpty();
        assertThat(keys(client.kv().get("iso-", Options.prefix()).join().kvs()))
                .containsExactly("iso-a/k", "iso-a/only-a", "iso-b/k", "iso-c");
    }

    @Test
    void prefixDeleteStaysInsideTheNamespaceAndReturnsUserKeys() {
        KvClient a = Namespace.kv(client.kv(), "del-a/");
        KvClient b = Namespace.kv(client.kv(), "del-b/");
        a.put("dir/1", "x").join();
        a.put("dir/2", "y").join();
        b.put("dir/1", "z").join();
        var deleted = a.delete("", Options.prefix(), Options.prevKv()).join();
        assertThat(deleted.deleted()).isEqualTo(2);
        assertThat(keys(deleted.prevKvs())).containsExactly("dir/1", "dir/2");
        assertThat(keys(b.get("dir/", Options.prefix()).join().kvs())).containsExactly("dir/1");
        var put = b.put("dir/1", "z2", Options.prevKv()).join();
        assertThat(put.prevKv()).map(kv -> kv.key().toStringUtf8()).contains("dir/1");
    }

    @Test
    void transactionsCompareAndWriteInsideTheNamespace() {
        KvClient a = Namespace.kv(client.kv(), "txn-a/");
        client.kv().put("txn-b/flag", "on").join(); // same user key in another namespace
        TxnResponse r = a.txn()
                .when(Cmp.version("flag").equalTo(0))
                .then(Op.put("flag", "set"), Op.get("", Options.prefix()))
                .orElse(Op.get("flag"))
                .commit().join();
        assertThat(r.succeeded()).isTrue();
        assertThat(keys(r.getResponse(1).kvs())).containsExactly("flag");
        assertThat(client.kv().get("txn-a/flag").join().kvs().get(0).value().toStringUtf8()).isEqualTo("set");
        TxnResponse again = a.txn().when(Cmp.version("flag").equalTo(0)).orElse(Op.get("flag")).commit().join();
        assertThat(again.succeeded()).isFalse();
        assertThat(keys(again.getResponse(0).kvs())).containsExactly("flag");
    }

    @Test
    void watchInsideANamespaceSeesOnlyItsKeysWithoutThePrefix() {
        EtcdClient a = Namespace.client(client, "watch-a/");
        List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (Watcher w = a.watch().watch("", r -> events.addAll(r.events()), Options.prefix(), Options.prevKv())) {
            assertThat(w.spec().key()).isEqualTo(Bytes.ZERO); // the user's spec, not the mapped one
            w.created().join(); // a watch from "now": puts sent before the server created it are not its events
            client.kv().put("watch-b/x", "other").join();
            client.kv().put("watch-a0", "just past the namespace").join();
            a.kv().put("x", "1").join();
            a.kv().put("x", "2").join();
            a.kv().delete("x").join();
            Await.until(Duration.ofSeconds(10), "three events", () -> events.size() >= 3);
        }
        assertThat(events).extracting(e -> e.kv().key().toStringUtf8()).containsExactly("x", "x", "x");
        assertThat(events).extracting(WatchEvent::type)
                .containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
        assertThat(events.get(1).prevKv()).map(kv -> kv.key().toStringUtf8() + "=" + kv.value().toStringUtf8())
                .contains("x=1");
    }

    @Test
    void recipesRunInsideANamespace() throws Exception {
        EtcdClient app = Namespace.client(client, "tenant-1/");
        try (Session session = Session.create(app, 30)) {
            Mutex mutex = new Mutex(session, "locks/job");
            mutex.lock().get(10, TimeUnit.SECONDS);
            assertThat(keys(client.kv().get("tenant-1/locks/job/", Options.prefix()).join().kvs()))
                    .containsExactly("tenant-1/locks/job/" + Long.toHexString(session.leaseId()));
            var ttl = app.lease().timeToLive(session.leaseId(), true).join();
            assertThat(ttl.keys()).containsExactly(Bytes.of("locks/job/" + Long.toHexString(session.leaseId())));
            mutex.unlock().join();
            Stm.run(app, tx -> tx.put("counter", "1"));
            assertThat(client.kv().get("tenant-1/counter").join().kvs()).hasSize(1);
        }
    }
}
