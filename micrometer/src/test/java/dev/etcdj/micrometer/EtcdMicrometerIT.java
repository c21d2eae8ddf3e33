package dev.etcdj.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdTargetExtension;
import dev.etcdj.testing.EtcdjServerTarget;
import dev.etcdj.testing.FaultProxy;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters move as the client works against our embedded server. */
class EtcdMicrometerIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.of(() -> new EtcdjServerTarget(b -> { }));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private EtcdClient client(List<String> endpoints) {
        return EtcdClient.builder().endpoints(endpoints).eventListener(EtcdMicrometer.bind(registry, Tags.of("client", "test")))
                .build();
    }

    private double count(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void requestsAreTimedByMethodAndOutcome() {
        try (EtcdClient c = client(etcd.target().endpoints())) {
            c.kv().blocking().put("/m/k", "v");
            c.kv().blocking().get("/m/k");
            assertThatThrownBy(() -> c.kv().blocking().put("", "v")).isInstanceOf(EmptyKeyException.class);
        }
        assertThat(registry.get(EtcdMicrometer.REQUESTS).tags("method", "KV/Put", "outcome", "SUCCESS", "client", "test")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get(EtcdMicrometer.REQUESTS).tags("method", "KV/Range", "outcome", "SUCCESS").timer().count())
                .isEqualTo(1);
        assertThat(registry.get(EtcdMicrometer.REQUESTS).tags("method", "KV/Put", "outcome", "INVALID_REQUEST")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void retriesAndFailoversAreCounted() {
        FaultProxy dead = FaultProxy.start(etcd.target().endpoints().get(0));
        String refused = dead.endpoint();
        dead.close();
        try (EtcdClient c = client(List.of(refused, etcd.target().endpoints().get(0)))) {
            c.kv().blocking().get("/m/x");
        }
        assertThat(count(EtcdMicrometer.RETRIES, "method", "KV/Range")).isGreaterThanOrEqualTo(1);
        assertThat(count(EtcdMicrometer.FAILOVERS)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void activeWatchesAndKeepAlivesAreGaugedAndReconnectsCounted() {
        try (FaultProxy proxy = FaultProxy.start(etcd.target().endpoints().get(0));
             EtcdClient c = client(List.of(proxy.endpoint()))) {
            Watcher w = c.watch().blocking().watch("/m/w", r -> { });
            long lease = c.lease().blocking().grant(10).leaseId();
            KeepAlive k = c.lease().keepAlive(lease, new KeepAliveListener() { });
            assertThat(registry.get(EtcdMicrometer.WATCHES).gauge().value()).isEqualTo(1);
            assertThat(registry.get(EtcdMicrometer.KEEP_ALIVES).gauge().value()).isEqualTo(1);
            Await.until(WAIT, "a renewal's lag recorded",
                    () -> registry.get(EtcdMicrometer.KEEP_ALIVE_LAG).timer().count() > 0);

            proxy.dropConnections();
            Await.until(WAIT, "both streams reconnected", () -> count(EtcdMicrometer.STREAM_RECONNECTS, "stream", "watch") >= 1
                    && count(EtcdMicrometer.STREAM_RECONNECTS, "stream", "keep-alive") >= 1);
            assertThat(count(EtcdMicrometer.STREAM_BREAKS, "stream", "watch", "permanent", "false")).isGreaterThanOrEqualTo(1);

            w.close();
            k.close();
            Await.until(WAIT, "the gauges back at zero", () -> registry.get(EtcdMicrometer.WATCHES).gauge().value() == 0
                    && registry.get(EtcdMicrometer.KEEP_ALIVES).gauge().value() == 0);
            c.lease().blocking().revoke(lease);
        }
    }
}
