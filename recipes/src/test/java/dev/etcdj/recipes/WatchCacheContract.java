package dev.etcdj.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.Options;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The watch cache: converging under concurrent writes, re-listing after compacted history.
 * Run against real etcd (the oracle) and against our server, by the two subclasses.
 */
abstract class WatchCacheContract extends RecipeContract {

    /** The store's view of the prefix: key -> value@modRevision. */
    private Map<String, String> store(String prefix) {
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : client.kv().get(prefix, Options.prefix()).join().kvs()) {
            m.put(kv.key().toStringUtf8(), kv.value().toStringUtf8() + "@" + kv.modRevision());
        }
        return m;
    }

    private static Map<String, String> view(Map<Bytes, KeyValue> cache) {
        Map<String, String> m = new TreeMap<>();
        cache.forEach((k, kv) -> m.put(k.toStringUtf8(), kv.value().toStringUtf8() + "@" + kv.modRevision()));
        return m;
    }

    /** A listener that rebuilds the state from the changes it hears. */
    private static final class Replica implements WatchCache.Listener {
        final Map<Bytes, KeyValue> state = new ConcurrentHashMap<>();
        final List<EtcdException> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onChange(Bytes key, Optional<KeyValue> before, Optional<KeyValue> after) {
            assertThat(Optional.ofNullable(state.get(key))).isEqualTo(before);
            if (after.isPresent()) {
                state.put(key, after.get());
            } else {
                state.remove(key);
            }
        }

        @Override
        public void onError(EtcdException error) {
            errors.add(error);
        }
    }

    @Test
    void convergesToTheStoreUnderConcurrentWrites() throws Exception {
        String prefix = "cache-conv/";
        for (int i = 0; i < 20; i++) {
            client.kv().put(prefix + i, "init").join();
        }
        client.kv().put("cache-conv0", "outside").join();
        Replica replica = new Replica();
        try (WatchCache cache = WatchCache.start(client, prefix, replica).get(10, TimeUnit.SECONDS)) {
            assertThat(cache.snapshot()).hasSize(20);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    Random random = new Random(t);
                    int writer = t;
                    writers.add(pool.submit(() -> {
                        for (int i = 0; i < 60; i++) {
                            String key = prefix + random.nextInt(30);
                            if (random.nextInt(4) == 0) {
                                client.kv().delete(key).join();
                            } else {
                                client.kv().put(key, writer + ":" + i).join();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : writers) {
                    w.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Map<String, String> expected = store(prefix);
            long storeRevision = client.kv().get(prefix).join().header().revision();
            Await.until(Duration.ofSeconds(10), "the cache catches up with the store",
                    () -> cache.revision() >= storeRevision);
            assertThat(view(cache.snapshot())).isEqualTo(expected);
            assertThat(view(replica.state)).isEqualTo(expected);
            expected.keySet().stream().findFirst().ifPresent(k ->
                    assertThat(cache.get(k)).map(kv -> kv.value().toStringUtf8() + "@" + kv.modRevision())
                            .contains(expected.get(k)));
            assertThat(cache.get("cache-conv0")).isEmpty();
            assertThat(replica.errors).isEmpty();
        }
    }

    @Test
    void relistsAfterMissingCompactedHistory() throws Exception {
        String prefix = "cache-compact/";
        client.kv().put(prefix + "stays", "1").join();
        client.kv().put(prefix + "goes", "1").join();
        Replica replica = new Replica();
        try (FaultProxy proxy = FaultProxy.start(target().endpoint());
             EtcdClient viaProxy = EtcdClient.builder().endpoints(proxy.endpoint()).build();
             WatchCache cache = WatchCache.start(viaProxy, prefix, replica).get(10, TimeUnit.SECONDS)) {
            assertThat(cache.snapshot()).hasSize(2);
            // Cut the cache off, change things, and compact the history it would resume from.
            proxy.blackhole(true);
            proxy.dropConnections();
            client.kv().put(prefix + "stays", "2").join();
            client.kv().delete(prefix + "goes").join();
            client.kv().put(prefix + "new", "1").join();
            long revision = client.kv().put("cache-compact-other", "x").join().header().revision();
            client.kv().compact(revision, true).join();
            proxy.blackhole(false);

            Map<String, String> expected = store(prefix);
            Await.until(Duration.ofSeconds(30), "the cache re-listed",
                    () -> view(cache.snapshot()).equals(expected));
            assertThat(view(replica.state)).isEqualTo(expected);
            assertThat(replica.errors).hasAtLeastOneElementOfType(CompactedException.class);
            // And it keeps following the store after the re-list.
            client.kv().put(prefix + "after", "1").join();
            Await.until(Duration.ofSeconds(10), "the cache follows after the re-list",
                    () -> cache.get(prefix + "after").isPresent());
        }
    }
}
