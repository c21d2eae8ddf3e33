package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.BlockingKvClient;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Futures;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * What every contract shares: one target per test class (started by the subclass's extension),
 * one client per class, and a key prefix unique to each test so tests of one class can share the
 * server without seeing each other's keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSupport {

    private static final AtomicInteger SEQ = new AtomicInteger();

    protected EtcdClient client;
    protected BlockingKvClient kv;
    /** This test's key prefix, e.g. {@code /tck/KvContract/putAndGet/7/}. */
    protected String prefix;

    /**
     * The server under test, started before the class's tests and closed after them by the
     * {@link EtcdTargetExtension} the subclass keeps in a static field.
     */
    protected EtcdTarget target() {
        return EtcdTargetExtension.declaredBy(getClass()).target();
    }

    /** The client URLs of the server under test. */
    protected List<String> endpoints() {
        return target().endpoints();
    }

    @BeforeAll
    void connect() {
        client = newClient(endpoints());
        kv = client.kv().blocking();
    }

    @AfterAll
    void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void uniquePrefix(TestInfo info) {
        String contract = contractName();
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        prefix = "/tck/" + contract + "/" + method + "/" + SEQ.incrementAndGet() + "/";
    }

    /** A client of these endpoints with deadlines short enough for tests to fail fast. */
    protected EtcdClient newClient(List<String> endpoints) {
        return EtcdClient.builder()
                .endpoints(endpoints)
                .dialTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
    }

    protected String key(String suffix) {
        return prefix + suffix;
    }

    protected Bytes bkey(String suffix) {
        return Bytes.of(prefix + suffix);
    }

    protected static <T> T result(CompletableFuture<T> future) {
        return Futures.await(future);
    }

    /** The store's current revision, read with a get of a key nobody writes. */
    protected long currentRevision() {
        return kv.get("/tck/revision-probe").header().revision();
    }

    /** A request that changed nothing: its response names {@code before}, and the store is still there. */
    protected void assertNoNewRevision(ResponseHeader answered, long before) {
        assertThat(answered.revision()).as("the response's revision").isEqualTo(before);
        assertThat(currentRevision()).as("the store's revision").isEqualTo(before);
    }

    private String contractName() {
        for (Class<?> c = getClass(); c != null; c = c.getSuperclass()) {
            if (c.getSimpleName().endsWith("Contract")) {
                return c.getSimpleName();
            }
        }
        return getClass().getSimpleName();
    }
}
