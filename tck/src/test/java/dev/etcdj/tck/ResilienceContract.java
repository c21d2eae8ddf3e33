package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.CampaignResponse;
import dev.etcdj.client.ConnectionState;
import dev.etcdj.client.ElectionObservation;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.Futures;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.LeaderKey;
import dev.etcdj.client.Options;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Deadlines, cancellation, failover past dead and silent endpoints, keep-alive pings that find an
 * idle connection dead (permitWithoutStream), a server restarted on its
 * port, an election observation across a restart and across a dropped connection and a
 * compaction, and a client's threads after close. A server that stops answering is a proxy holding
 * every byte (what a SIGSTOPped etcd looks like to its clients), so both targets freeze alike.
 * Failures with no server at all are in {@link DeadEndpointsIT}.
 */
public abstract class ResilienceContract extends ContractSupport {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

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
    void anElectionObservationHearsTheNextLeaderOnceAfterTheServerRestarts() {
        String name = key("election");
        ObservedLeaders heard = new ObservedLeaders();
        try (EtcdClient observer = observerClient(endpoints(), heard);
             ElectionObservation o = observer.election().observe(name, heard)) {
            LeaderKey a = within(campaign(name, "A")).leader();
            heard.await("A");
            target().kill();
            target().start();
            // Changed at once: the observer hears B on its new stream's watch or as the leader it
            // starts with, whichever comes first, but once.
            CompletableFuture<CampaignResponse> b = campaign(name, "B");
            await("B waits").atMost(RECOVERY).until(() -> kv.get(name + "/", Options.prefix()).kvs().size() == 2);
            client.election().resign(a).join();
            LeaderKey bKey = within(b).leader();
            heard.await("A", "B");
            client.election().proclaim(bKey, Bytes.of("B2")).join();
            heard.await("A", "B", "B2");
            assertThat(heard.error).isNull();
            assertThat(heard.resumed.get()).as("the observe stream resumed").isPositive();
        }
    }

    /**
     * The observer's connection drops and it stays away while the election goes A to B to C and is
     * compacted; back, it is told the leader now (C) and hears neither A again nor B, as
     * {@link ElectionObservation} says.
     */
    @Test
    void anElectionObservationAwayAcrossLeadersAndACompactionHearsTheLeaderNow() {
        String name = key("election");
        ObservedLeaders heard = new ObservedLeaders();
        try (FaultProxy proxy = FaultProxy.start(endpoint());
             EtcdClient observer = observerClient(List.of(proxy.endpoint()), heard);
             ElectionObservation o = observer.election().observe(name, heard)) {
            LeaderKey a = within(campaign(name, "A")).leader();
            heard.await("A");
            proxy.blackhole(true);      // new connections are accepted and held: the observer stays away
            proxy.dropConnections();
            await("the observe stream breaks").atMost(RECOVERY).until(() -> heard.broken.get() > 0);
            CompletableFuture<CampaignResponse> b = campaign(name, "B");
            await("B waits").atMost(RECOVERY).until(() -> kv.get(name + "/", Options.prefix()).kvs().size() == 2);
            client.election().resign(a).join();
            LeaderKey bKey = within(b).leader();
            CompletableFuture<CampaignResponse> c = campaign(name, "C");
            await("C waits").atMost(RECOVERY).until(() -> kv.get(name + "/", Options.prefix()).kvs().size() == 2);
            client.election().resign(bKey).join();
            LeaderKey cKey = within(c).leader();
            kv.compact(currentRevision(), true);
            assertThat(heard.values()).as("nothing heard while away").containsExactly("A");

            proxy.blackhole(false);
            heard.await("A", "C");
            client.election().proclaim(cKey, Bytes.of("C2")).join();
            heard.await("A", "C", "C2");
            assertThat(heard.responses.get(1).kv().createRevision()).isEqualTo(cKey.revision());
            assertThat(heard.error).isNull();
            assertThat(heard.resumed.get()).as("the observe stream resumed").isPositive();
        }
    }

    private static <T> T within(CompletableFuture<T> f) {
        return result(f.orTimeout(RECOVERY.toSeconds(), TimeUnit.SECONDS));
    }

    private CompletableFuture<CampaignResponse> campaign(String name, String value) {
        long lease = client.lease().blocking().grant(60).leaseId();
        return client.election().campaign(name, lease, value);
    }

    /** {@link #newClient} with {@code events} told of the client's streams. */
    private static EtcdClient observerClient(List<String> endpoints, EventListener events) {
        return EtcdClient.builder().endpoints(endpoints).dialTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(10)).eventListener(events).build();
    }

    /**
     * What an observation heard, with a bounded wait for exactly a sequence of leader values, and
     * how often its stream broke and resumed.
     */
    private static final class ObservedLeaders extends HeardLeaders implements EventListener {
        final AtomicInteger broken = new AtomicInteger();
        final AtomicInteger resumed = new AtomicInteger();

        @Override
        public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
            broken.incrementAndGet();
        }

        @Override
        public void streamResumed(String stream, String endpoint, Duration downtime) {
            resumed.incrementAndGet();
        }

        void await(String... values) {
            await(RECOVERY, values);
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
