package dev.etcdj.recipes;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Options;
import dev.etcdj.testing.EtcdTarget;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every recipe contract shares: the server under test (real etcd or our server, started once
 * per class by the subclass's extension) and two clients per test, {@code client} and {@code other},
 * standing for two processes that share a lock, a queue or a session's keys.
 */
abstract class RecipeContract {

    protected EtcdClient client;
    protected EtcdClient other;

    /** The server under test. */
    protected abstract EtcdTarget target();

    /** How long a test waits for a step of another client's (a lock handed over, a key written). */
    protected static final Duration WAIT = Duration.ofSeconds(20);

    /** A future's value within {@link #WAIT}. */
    protected static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A 30 s lease of this client's. */
    protected static long grant(EtcdClient c) {
        return c.lease().grant(30).join().leaseId();
    }

    /** How many keys live under this prefix: a lock's waiters, an election's candidates. */
    protected long keysUnder(String keyPrefix) {
        return client.kv().get(keyPrefix, Options.prefix(), Options.countOnly()).join().count();
    }

    @BeforeEach
    void connect() {
        client = EtcdClient.builder().endpoints(target().endpoint()).build();
        other = EtcdClient.builder().endpoints(target().endpoint()).build();
    }

    @AfterEach
    void disconnect() {
        client.close();
        other.close();
    }
}
