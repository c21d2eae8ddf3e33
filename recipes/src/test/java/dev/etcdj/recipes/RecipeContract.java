package dev.etcdj.recipes;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.testing.EtcdTarget;
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
