package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.Futures;
import dev.etcdj.client.GetResponse;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deadlines, cancellation, failover, dial timeout and restarts against a real etcd. */
class ResilienceIT {

    private EtcdProcess etcd;

    @BeforeEach
    void start() {
        etcd = EtcdProcess.builder().build();
        etcd.start();
    }

    @AfterEach
    void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aFrozenServerGivesATimeoutAtTheDeadline() {
        try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
            client.kv().blocking().put("k", "v");
            etcd.pause();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> Futures.await(client.kv().withTimeout(Duration.ofMillis(500)).get("k")))
                        .isInstanceOf(EtcdTimeoutException.class)
                        .hasMessage("context deadline exceeded");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(ms).isBetween(450L, 3000L);
                assertThatThrownBy(() -> Futures.await(client.kv().withTimeout(Duration.ofMillis(300)).put("k", "w")))
                        .isInstanceOf(EtcdTimeoutException.class);
            } finally {
                etcd.resume();
            }
            assertThat(client.kv().blocking().get("k").kvs()).isNotEmpty();
        }
    }

    @Test
    void cancellingAPendingCallEndsItAtOnce() {
        try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
            client.kv().blocking().put("k", "v");
            etcd.pause();
            CompletableFuture<GetResponse> f;
            try {
                f = client.kv().get("k");
                assertThat(f.cancel(true)).isTrue();
                assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
            } finally {
                etcd.resume();
            }
            // The connection is still good for the next call.
            assertThat(client.kv().blocking().get("k").kvs()).hasSize(1);
        }
    }

    @Test
    void failsOverFromADeadEndpointForReadsAndWrites() {
        String dead = "http://127.0.0.1:" + FreePorts.next();
        try (EtcdClient client = EtcdClient.builder().endpoints(dead, etcd.endpoint()).build()) {
            assertThat(client.kv().blocking().put("fo", "1").header().revision()).isPositive();
            assertThat(client.kv().blocking().get("fo").kvs()).hasSize(1);
        }
        // Writes first this time: a refused connection never reached a server, so a put may move on too.
        try (EtcdClient client = EtcdClient.builder().endpoints(dead, etcd.endpoint()).build()) {
            assertThat(client.kv().blocking().delete("fo").deleted()).isEqualTo(1);
        }
    }

    @Test
    void onlyDeadEndpointsFailWithUnavailableWithinTheDialTimeout() {
        String dead1 = "127.0.0.1:" + FreePorts.next();
        String dead2 = "127.0.0.1:" + FreePorts.next();
        try (EtcdClient client = EtcdClient.builder().endpoints(dead1, dead2)
                .dialTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(20))
                .retry(1000, Duration.ofMillis(10), Duration.ofMillis(50))
                .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.kv().blocking().put("k", "v"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining(dead1).hasMessageContaining(dead2);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isBetween(900L, 3000L);
        }
    }

    @Test
    void aServerThatAcceptsButNeverSpeaksFailsWithinTheDialTimeout() throws IOException {
        // The kernel completes the TCP handshake, nothing answers HTTP/2: the channel never gets READY.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             EtcdClient client = EtcdClient.builder().endpoints("127.0.0.1:" + silent.getLocalPort())
                     .dialTimeout(Duration.ofSeconds(1))
                     .requestTimeout(Duration.ofSeconds(20))
                     .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.kv().blocking().get("k"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isBetween(900L, 3000L);
        }
    }

    @Test
    void aSilentFirstEndpointCostsAShareOfTheDialTimeoutNotTheCall() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             EtcdClient client = EtcdClient.builder()
                     .endpoints("127.0.0.1:" + silent.getLocalPort(), etcd.endpoint())
                     .dialTimeout(Duration.ofSeconds(2))
                     .build()) {
            long start = System.nanoTime();
            // A write too: it never got a stream on the silent endpoint, so it may move on.
            assertThat(client.kv().blocking().put("silent", "1").header().revision()).isPositive();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 1900L);
            // From now on the live endpoint is current: no more waiting.
            start = System.nanoTime();
            assertThat(client.kv().blocking().get("silent").kvs()).hasSize(1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500L);
        }
    }

    @Test
    void recoversAfterEtcdRestartsOnTheSamePort() {
        try (EtcdClient client = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
            client.kv().blocking().put("restart", "1");
            etcd.kill();
            assertThatThrownBy(() -> Futures.await(client.kv().withTimeout(Duration.ofMillis(500)).get("restart")))
                    .isInstanceOfAny(EtcdUnavailableException.class, EtcdTimeoutException.class);
            etcd.start();
            // The first call after the restart succeeds: retries reconnect without waiting out gRPC's backoff.
            assertThat(client.kv().blocking().get("restart").kvs().get(0).value().toStringUtf8()).isEqualTo("1");
            assertThat(client.kv().blocking().put("restart", "2").header().revision()).isPositive();
        }
    }

    @Test
    void closingClientsLeavesNoThreadBehind() throws Exception {
        // Warm up once: JVM-wide helpers (e.g. gRPC's shared timers) may start on first use.
        try (EtcdClient warm = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
            warm.kv().blocking().get("k");
        }
        int before = liveThreads();
        Set<Thread> oursBefore = clientThreads();
        for (int i = 0; i < 20; i++) {
            try (EtcdClient c = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
                c.kv().blocking().get("k");
            }
        }
        // close() waits for its threads: none of the 20 clients' threads may still run.
        Set<Thread> oursAfter = clientThreads();
        oursAfter.removeAll(oursBefore);
        assertThat(oursAfter).isEmpty();
        // JVM-wide helpers time out by themselves: give them a few seconds.
        Await.poll(Duration.ofSeconds(5), () -> liveThreads() <= before);
        assertThat(liveThreads()).isLessThanOrEqualTo(before);
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

    private static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }
}
