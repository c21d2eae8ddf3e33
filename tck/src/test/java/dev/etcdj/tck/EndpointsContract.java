package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.InvalidEndpointException;
import dev.etcdj.client.RequestTooLargeException;
import dev.etcdj.client.StatusResponse;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Where the client's endpoints come from and how a call picks one, against one member: sync and
 * auto sync keep the one endpoint, fromUrl and forEndpoint reach it, an endpoint that is not an
 * endpoint is refused with a typed error, the outbound limit stops a request before it leaves,
 * rejectOldCluster lets a 3.4 server through. The cluster side (members added, removed, killed) is
 * {@link ClusterEndpointsIT}.
 */
public abstract class EndpointsContract extends ContractSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void syncKeepsTheOneEndpointOfASingleMember() {
        String endpoint = endpoints().get(0);
        try (EtcdClient c = newClient(List.of(endpoint))) {
            assertThat(result(c.sync())).containsExactly(endpoint);
            assertThat(c.endpoints()).containsExactly(endpoint);
            c.kv().blocking().put(key("k"), "v");
        }
    }

    @Test
    void autoSyncReplacesAnotherSpellingOfTheEndpointByTheAdvertisedOneAndKeepsWorking() {
        String endpoint = endpoints().get(0);
        String bare = endpoint.replaceFirst("^http://", "");
        List<List<String>> changes = new CopyOnWriteArrayList<>();
        try (EtcdClient c = EtcdClient.builder().endpoints(bare, "127.0.0.1:1").autoSyncInterval(Duration.ofMillis(100))
                .eventListener(new dev.etcdj.client.EventListener() {
                    @Override
                    public void endpointsChanged(List<String> endpoints) {
                        changes.add(endpoints);
                    }
                }).build()) {
            // The dead 127.0.0.1:1 is not a member: the sync drops it. The member itself keeps its
            // connection, under the spelling it was first given.
            Await.until(WAIT, "the auto sync dropped the endpoint that is no member",
                    () -> c.endpoints().equals(List.of(bare)));
            assertThat(changes).contains(List.of(bare));
            for (int i = 0; i < 10; i++) {
                c.kv().blocking().put(key("k" + i), "v");
            }
        }
    }

    @Test
    void fromUrlAndForEndpointReachTheMember() {
        String endpoint = endpoints().get(0);
        try (EtcdClient c = EtcdClient.fromUrl(endpoint)) {
            c.kv().blocking().put(key("k"), "v");
            StatusResponse viaView;
            try (EtcdClient one = client.forEndpoint(endpoint)) {
                assertThat(one.endpoints()).containsExactly(endpoint);
                viaView = one.maintenance().blocking().status(endpoint);
                assertThat(one.kv().blocking().get(key("k")).kvs()).hasSize(1);
            }
            assertThat(c.maintenance().blocking().status(endpoint).header().memberId())
                    .isEqualTo(viaView.header().memberId());
            // The client still works after the view closed.
            assertThat(client.kv().get(key("k")).join().kvs()).hasSize(1);
        }
    }

    @Test
    void anEndpointThatIsNoEndpointIsRefusedWithATypedError() {
        assertThatThrownBy(() -> EtcdClient.fromUrl("http://127.0.0.1:99999"))
                .isInstanceOf(InvalidEndpointException.class).hasMessageContaining("invalid port '99999'");
        assertThatThrownBy(() -> EtcdClient.fromUrl("unix:///tmp/etcd.sock"))
                .isInstanceOf(InvalidEndpointException.class).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> client.forEndpoint("http://[::1"))
                .isInstanceOf(InvalidEndpointException.class);
        assertThatThrownBy(() -> client.setEndpoints(List.of("http://127.0.0.1:2379/v3")))
                .isInstanceOf(InvalidEndpointException.class).hasMessageContaining("has a path");
        assertThat(client.endpoints()).isEqualTo(endpoints());
    }

    @Test
    void aRequestOverTheOutboundLimitFailsBeforeItLeaves() {
        try (EtcdClient c = EtcdClient.builder().endpoints(endpoints()).maxOutboundMessageBytes(1024).build()) {
            assertThatThrownBy(() -> c.kv().blocking().put(key("big"), "x".repeat(2048)))
                    .isInstanceOf(RequestTooLargeException.class)
                    .hasMessageMatching("trying to send message larger than max \\(\\d+ vs\\. 1024\\)")
                    .extracting(t -> ((EtcdException) t).code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
            c.kv().blocking().put(key("small"), "x".repeat(100));
        }
        assertThat(kv.get(key("big")).kvs()).isEmpty();
    }

    @Test
    void rejectOldClusterLetsA34ServerThrough() {
        try (EtcdClient c = EtcdClient.builder().endpoints(endpoints()).rejectOldCluster(true)
                .dialTimeout(Duration.ofSeconds(5)).build()) {
            c.kv().blocking().put(key("k"), "v");
        }
    }

    @Test
    void rejectOldClusterFailsTheBuildWhenNoEndpointAnswers() {
        assertThatThrownBy(() -> EtcdClient.builder().endpoints("127.0.0.1:1").rejectOldCluster(true)
                .dialTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(dev.etcdj.client.EtcdUnavailableException.class);
    }
}
