package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Futures;
import dev.etcdj.client.InvalidEndpointException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Transport behaviour that needs no server. */
class TransportConfigTest {

    @Test
    void backoffDoublesUpToTheMaximumWithTenPercentJitter() {
        try (GrpcTransport t = new GrpcTransport(EtcdClient.builder().endpoints("127.0.0.1:1")
                .retry(5, Duration.ofMillis(25), Duration.ofMillis(150)).config())) {
            long[][] expected = {{0, 25}, {1, 50}, {2, 100}, {3, 150}, {1000, 150}};
            for (long[] e : expected) {
                Set<Duration> seen = new HashSet<>();
                for (int i = 0; i < 200; i++) {
                    Duration d = t.backoff((int) e[0]);
                    assertThat(d).isBetween(Duration.ofNanos(e[1] * 900_000), Duration.ofNanos(e[1] * 1_100_000));
                    seen.add(d);
                }
                assertThat(seen).as("jittered").hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void aViewIsTheSameTransportUnderOtherSettingsAndOnlyTheClientClosesIt() {
        GrpcTransport t = new GrpcTransport(EtcdClient.builder().endpoints("127.0.0.1:1")
                .requestTimeout(Duration.ofSeconds(7)).config());
        try {
            Transport timed = t.withTimeout(Duration.ofSeconds(2));
            Transport both = timed.withRequireLeader();
            assertThat(t.settings()).isEqualTo(CallSettings.NONE);
            assertThat(t.requestTimeout()).isEqualTo(Duration.ofSeconds(7));
            assertThat(timed.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(both.settings()).isEqualTo(new CallSettings(Duration.ofSeconds(2), true));
            assertThat(both.withRequireLeader()).isSameAs(both);
            // A later timeout replaces the earlier one and keeps requireLeader.
            assertThat(both.withTimeout(Duration.ofSeconds(3)).settings())
                    .isEqualTo(new CallSettings(Duration.ofSeconds(3), true));
            assertThat(both.endpoints()).isEqualTo(t.endpoints());
            assertThat(both.scheduler()).isSameAs(t.scheduler());
            assertThat(both.events()).isSameAs(t.events());
            assertThatThrownBy(() -> ((GrpcTransport) both).close()).isInstanceOf(UnsupportedOperationException.class);
            assertThat(t.isClosed()).isFalse();
        } finally {
            t.close();
        }
        Transport view = t.withTimeout(Duration.ofSeconds(2));
        assertThat(view.isClosed()).isTrue();
        assertThatThrownBy(() -> Futures.await(view.unary(null, true, (ch, o) -> {
            throw new AssertionError("a closed transport starts no call");
        }))).isInstanceOf(ClientClosedException.class);
    }

    @Test
    void badEndpointFailsTheBuild() {
        assertThatThrownBy(() -> EtcdClient.builder().endpoints("unix://x").build())
                .isInstanceOfSatisfying(InvalidEndpointException.class, e -> assertThat(e.endpoint()).isEqualTo("unix://x"));
        assertThatThrownBy(() -> EtcdClient.fromUrl("http://127.0.0.1:notaport"))
                .isInstanceOf(InvalidEndpointException.class).hasMessageContaining("invalid port 'notaport'");
    }

    @Test
    void setEndpointsRefusesABadOneAndKeepsTheOldOnes() {
        try (EtcdClient client = EtcdClient.fromUrls("127.0.0.1:1", "http://127.0.0.1:2")) {
            assertThat(client.endpoints()).containsExactly("127.0.0.1:1", "http://127.0.0.1:2");
            assertThatThrownBy(() -> client.setEndpoints(List.of("127.0.0.1:3", "ftp://x")))
                    .isInstanceOf(InvalidEndpointException.class);
            assertThatThrownBy(() -> client.setEndpoints(List.of())).isInstanceOf(IllegalArgumentException.class);
            assertThat(client.endpoints()).containsExactly("127.0.0.1:1", "http://127.0.0.1:2");
            // The same endpoint in another spelling keeps its connection (and its first spelling).
            client.setEndpoints(List.of("http://127.0.0.1:1", "127.0.0.1:3"));
            assertThat(client.endpoints()).containsExactly("127.0.0.1:1", "127.0.0.1:3");
        }
    }

    @Test
    void aMaintenanceCallToABadEndpointFailsTyped() {
        try (EtcdClient client = EtcdClient.fromUrl("127.0.0.1:1")) {
            assertThatThrownBy(() -> Futures.await(client.maintenance().status("http://[::1")))
                    .isInstanceOf(InvalidEndpointException.class);
        }
    }

    @Test
    void callsAfterCloseFailWithClientClosed() {
        EtcdClient client = EtcdClient.builder().endpoints("127.0.0.1:1").build();
        client.close();
        client.close(); // idempotent
        assertThatThrownBy(() -> Futures.await(client.kv().get("k"))).isInstanceOf(ClientClosedException.class);
    }
}
