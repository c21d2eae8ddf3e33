package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Futures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Transport behaviour that needs no server. */
class TransportConfigTest {

    @Test
    void backoffDoublesUpToTheMaximum() {
        try (GrpcTransport t = new GrpcTransport(EtcdClient.builder().endpoints("127.0.0.1:1")
                .retry(5, Duration.ofMillis(25), Duration.ofMillis(150)).config())) {
            assertThat(t.backoff(0)).isEqualTo(Duration.ofMillis(25));
            assertThat(t.backoff(1)).isEqualTo(Duration.ofMillis(50));
            assertThat(t.backoff(2)).isEqualTo(Duration.ofMillis(100));
            assertThat(t.backoff(3)).isEqualTo(Duration.ofMillis(150));
            assertThat(t.backoff(1000)).isEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void badEndpointFailsTheBuild() {
        assertThatThrownBy(() -> EtcdClient.builder().endpoints("unix://x").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsAfterCloseFailWithClientClosed() {
        EtcdClient client = EtcdClient.builder().endpoints("127.0.0.1:1").build();
        client.close();
        client.close(); // idempotent
        assertThatThrownBy(() -> Futures.await(client.kv().get("k"))).isInstanceOf(ClientClosedException.class);
    }

    @Test
    void subClientsOfOtherTeamsSayUnimplemented() {
        try (EtcdClient client = EtcdClient.builder().endpoints("127.0.0.1:1").build()) {
            assertThatThrownBy(client::lease).isInstanceOf(EtcdException.class)
                    .extracting(e -> ((EtcdException) e).code()).isEqualTo(EtcdException.Code.UNIMPLEMENTED);
        }
    }
}
