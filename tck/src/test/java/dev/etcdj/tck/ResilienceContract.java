package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.ConnectionState;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.Futures;
import dev.etcdj.client.GetResponse;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.FaultProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deadlines, cancellation, failover past dead and silent endpoints, keep-alive pings that find an
 * idle connection dead (permitWithoutStream), a server restarted on its
 * port, and a client's threads after close. A server that stops answering is a proxy holding
 * every byte (what a SIGSTOPped etcd looks like to its clients), so both targets freeze alike.
 * Failures with no server at all are in {@link DeadEndpointsIT}.
 */
public abstract class ResilienceContract extends ContractSupport {

    @Test
    void aFrozenServerGivesATimeoutAtTheDeadline() {
        kv.put(key("k"), "v");
        try (FaultProxy proxy = FaultProxy.start(endpoint());
             EtcdClient viaProxy = newClient(List.of(proxy.endpoint()))) {
            viaProxy.kv().blocking().get(key("k")); // connected before the freeze
            proxy.blackhole(true);
            long start = System.nanoTime();
            assertThatThrownBy(() -> Futures.await(viaProxy.kv().withTimeout(Duration.ofMillis(500)).get(key("k"))))
                    .isInstanceOf(EtcdTimeoutException.class)
                    .hasMessage("context deadline exceeded");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(450L, 3000L);
            assertThatThrownBy(() -> Futures.await(viaProxy.kv().withTimeout(Duration.ofMillis(300)).put(key("k"), "w")))
                    .isInstanceOf(EtcdTimeoutException.class);
            proxy.blackhole(false);
            assertThat(viaProxy.kv().blocking().get(key("k")).kvs()).isNotEmpty();
        }
    }

    @Test
    void pingsPermittedWithoutCallsFindAnIdleConnectionToAFrozenServerDead() {
        kv.put(key("k"), "v");
        List<ConnectionState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        // gRPC pings no more often than every 10 s; a ping unanswered for 2 s ends the connection.
        try (FaultProxy proxy = FaultProxy.start(endpoint());
             EtcdClient idle = EtcdClient.builder().endpoints(proxy.endpoint())
                     .keepAlive(Duration.ofSeconds(10), Duration.ofSeconds(2)).permitWithoutStream(true)
                     .connectionStateListener((c, state) -> states.add(state)).build()) {
            idle.kv().blocking().get(key("k"));
            Await.until(Duration.ofSeconds(20), "connected", () -> states.contains(ConnectionState.CONNECTED));
            proxy.blackhole(true);
            // No call runs: only a keep-alive ping, sent because it is permitted without one, can
            // find that the server stopped answering.
            Await.until(Duration.ofSeconds(60), "the idle connection found dead",
                    () -> states.contains(ConnectionState.SUSPENDED));
            proxy.blackhole(false);
            assertThat(idle.kv().blocking().get(key("k")).kvs()).hasSize(1);
        }
    }

    @Test
    void cancellingAPendingCallEndsItAtOnce() {
        kv.put(key("k"), "v");
        try (FaultProxy proxy = FaultProxy.start(endpoint());
             EtcdClient viaProxy = newClient(List.of(proxy.endpoint()))) {
            viaProxy.kv().blocking().get(key("k"));
            proxy.blackhole(true);
            CompletableFuture<GetResponse> f = viaProxy.kv().get(key("k"));
            assertThat(f.cancel(true)).isTrue();
            assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
            proxy.blackhole(false);
            // The connection is still good for the next call.
            assertThat(viaProxy.kv().blocking().get(key("k")).kvs()).hasSize(1);
        }
    }

    @Test
    void failsOverFromADeadEndpointForReadsAndWrites() throws IOException {
        String dead = "http://127.0.0.1:" + DeadEndpointsIT.closedPort();
        try (EtcdClient c = EtcdClient.builder().endpoints(dead, endpoint()).build()) {
            assertThat(c.kv().blocking().put(key("fo"), "1").header().revision()).isPositive();
            assertThat(c.kv().blocking().get(key("fo")).kvs()).hasSize(1);
        }
        // Writes first this time: a refused connection never reached a server, so a put may move on too.
        try (EtcdClient c = EtcdClient.builder().endpoints(dead, endpoint()).build()) {
            assertThat(c.kv().blocking().delete(key("fo")).deleted()).isEqualTo(1);
        }
    }

    @Test
    void aSilentFirstEndpointCostsAShareOfTheDialTimeoutNotTheCall() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             EtcdClient c = EtcdClient.builder()
                     .endpoints("127.0.0.1:" + silent.getLocalPort(), endpoint())
                     .dialTimeout(Duration.ofSeconds(2))
                     .build()) {
            long start = System.nanoTime();
            // A write too: it never got a stream on the silent endpoint, so it may move on.
            assertThat(c.kv().blocking().put(key("silent"), "1").header().revision()).isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 1900L);
            // From now on the live endpoint is current: no more waiting.
            start = System.nanoTime();
            assertThat(c.kv().blocking().get(key("silent")).kvs()).hasSize(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500L);
        }
    }

    @Test
    void recoversAfterTheServerRestartsOnTheSamePort() {
        try (EtcdClient c = newClient(endpoints())) {
            c.kv().blocking().put(key("restart"), "1");
            target().kill();
            try {
                assertThatThrownBy(() -> Futures.await(c.kv().withTimeout(Duration.ofMillis(500)).get(key("restart"))))
                        .isInstanceOfAny(EtcdUnavailableException.class, EtcdTimeoutException.class);
            } finally {
                target().start();
            }
            // The first call after the restart succeeds: retries reconnect without waiting out gRPC's backoff.
            assertThat(c.kv().blocking().get(key("restart")).kvs().get(0).value().toStringUtf8()).isEqualTo("1");
            assertThat(c.kv().blocking().put(key("restart"), "2").header().revision()).isPositive();
        }
    }

    @Test
    void closingClientsLeavesNoThreadBehind() {
        // Warm up once: JVM-wide helpers (e.g. gRPC's shared timers) may start on first use.
        try (EtcdClient warm = newClient(endpoints())) {
            warm.kv().blocking().get(key("k"));
        }
        int liveBefore = liveThreads();
        Set<Thread> oursBefore = clientThreads();
        for (int i = 0; i < 20; i++) {
            try (EtcdClient c = newClient(endpoints())) {
                c.kv().blocking().get(key("k"));
            }
        }
        // close() waits for its threads: none of the 20 clients' threads may still run.
        Set<Thread> oursAfter = clientThreads();
        oursAfter.removeAll(oursBefore);
        assertThat(oursAfter).isEmpty();
        // JVM-wide helpers time out by themselves: give them a few seconds. With the server in
        // another process every thread of this JVM is the client's or the test's, so all count;
        // an in-process server's threads come and go on their own, so there only the client's do.
        if (target().isRealEtcd()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> liveThreads() <= liveBefore);
        } else {
            await().atMost(Duration.ofSeconds(5)).until(() -> clientThreads().size() <= oursBefore.size());
        }
    }

    private static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    private String endpoint() {
        return endpoints().get(0);
    }

    /** The threads a client owns (event loop, callbacks, scheduler), by their names. */
    private static Set<Thread> clientThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (t.isAlive() && (n.startsWith("etcdj-netty-") || n.startsWith("etcdj-callback-")
                    || n.startsWith("etcdj-scheduler-"))) {
                out.add(t);
            }
        }
        return out;
    }
}
