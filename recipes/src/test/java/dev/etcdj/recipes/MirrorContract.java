package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Mirror}: base copy across pages, live changes (puts, deletes, multi-op txns), resume from a
 * revision, and the error when that revision was compacted. Source and destination are two
 * prefixes of the same server, so the test needs one target. Run against real etcd (the oracle)
 * and against our server, by the two subclasses.
 */
abstract class MirrorContract {
    protected abstract EtcdTarget target();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private EtcdClient client;
    private String src;
    private String dst;

    @BeforeEach
    void connect() {
        client = EtcdClient.builder().endpoints(target().endpoint()).build();
        String run = Long.toString(System.nanoTime());
        src = "mirror-src-" + run + "/";
        dst = "mirror-dst-" + run + "/";
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private Map<String, String> read(String prefix) {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : client.kv().get(prefix, Options.prefix()).join().kvs()) {
            m.put(kv.key().toStringUtf8().substring(prefix.length()), kv.value().toStringUtf8());
        }
        return m;
    }

    private void awaitSame() {
        Await.until(WAIT, "destination equals source", () -> read(dst).equals(read(src)));
    }

    @Test
    void copiesTheBaseAcrossPagesThenFollowsLiveChanges() throws Exception {
        for (int t = 0; t < 11; t++) { // 1,100 keys: more than one page of 1,000
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ops.add(Op.put(String.format("%sk%05d", src, t * 100 + i), "v" + i));
            }
            client.kv().commit(Op.txn().then(ops.toArray(Op[]::new))).join();
        }
        client.kv().put("mirror-outside", "x").join();
        try (Mirror m = Mirror.builder(client, client).prefix(src).destPrefix(dst).build()) {
            m.start().get(60, TimeUnit.SECONDS);
            assertThat(read(dst)).hasSize(1100).isEqualTo(read(src));
            assertThat(m.total()).isEqualTo(1100);
            client.kv().put(src + "new", "n").join();
            client.kv().delete(src + "k00000").join();
            client.kv().commit(Op.txn().then(Op.put(src + "k00001", "changed"), Op.delete(src + "k00002"))).join();
            awaitSame();
            long rev = client.kv().get(src, Options.prefix(), Options.countOnly()).join().header().revision();
            Await.until(WAIT, "last revision reported", () -> m.lastRevision() == rev);
            assertThat(m.total()).isEqualTo(1104);
        }
        assertThat(read(dst)).doesNotContainKey("mirror-outside");
    }

    @Test
    void resumesAfterARevisionAndFailsWhenItWasCompacted() throws Exception {
        client.kv().put(src + "a", "1").join();
        long last;
        try (Mirror m = Mirror.builder(client, client).prefix(src).destPrefix(dst).build()) {
            m.start().get(60, TimeUnit.SECONDS);
            awaitSame();
            last = m.lastRevision();
        }
        client.kv().put(src + "b", "2").join();
        client.kv().delete(src + "a").join();
        try (Mirror m = Mirror.builder(client, client).prefix(src).destPrefix(dst).resumeAfter(last).build()) {
            m.start().get(60, TimeUnit.SECONDS);
            awaitSame();
            assertThat(read(dst)).containsOnlyKeys("b");
            assertThat(m.total()).isEqualTo(2);
        }
        long now = client.kv().put(src + "c", "3").join().header().revision();
        client.kv().compact(now, true).join();
        Mirror stale = Mirror.builder(client, client).prefix(src).destPrefix(dst).resumeAfter(last).build();
        try (stale) {
            stale.start().get(60, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stale.done().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CompactedException.class);
        }
    }
}
