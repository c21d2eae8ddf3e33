package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.BlockingWatchClient;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The blocking, {@code withTimeout} and {@code withRequireLeader} views mean the same on every
 * service and compose: the blocking view returns plain values and throws the typed error;
 * {@code withTimeout} replaces the deadline of every call, refuses a non-positive duration, and a
 * deadline that cannot be met fails with {@link EtcdTimeoutException}; {@code withRequireLeader}
 * answers as the plain view where there is a leader and keeps the deadline of the view it is made of.
 */
public abstract class ViewsContract extends ContractSupport {

    private static final Duration NONE = Duration.ofNanos(1);

    @Test
    void blockingViewsReturnPlainValuesOnEveryService() {
        kv.put(key("k"), "v");
        assertThat(client.kv().blocking().get(key("k")).kvs()).hasSize(1);
        assertThat(client.kv().blocking().withTimeout(Duration.ofSeconds(5)).get(key("k")).kvs()).hasSize(1);

        long lease = client.lease().blocking().grant(30).leaseId();
        assertThat(client.lease().blocking().timeToLive(lease, false).grantedTtl()).isEqualTo(30);
        client.lease().blocking().withTimeout(Duration.ofSeconds(5)).revoke(lease);

        assertThat(client.cluster().blocking().memberList().members()).isNotEmpty();
        assertThat(client.cluster().blocking().withTimeout(Duration.ofSeconds(5)).memberLeader().id()).isNotZero();
        String endpoint = endpoints().get(0);
        assertThat(client.maintenance().blocking().status(endpoint).version()).isNotEmpty();
        assertThat(client.maintenance().blocking().withTimeout(Duration.ofSeconds(5)).alarmList().alarms()).isEmpty();
        assertThat(client.auth().blocking().withTimeout(Duration.ofSeconds(5)).roleList()).isNotNull();
    }

    @Test
    void blockingWatchReturnsOnceTheServerConfirmedTheWatch() {
        List<WatchResponse> seen = new CopyOnWriteArrayList<>();
        BlockingWatchClient watch = client.watch().blocking();
        try (Watcher w = watch.watch(key("w"), seen::add)) {
            assertThat(w.created()).isCompleted();
            kv.put(key("w"), "1");
            Await.until(Duration.ofSeconds(10), "the put after a confirmed watch is seen", () -> !seen.isEmpty());
        }
        try (Watcher w = watch.withTimeout(Duration.ofSeconds(5)).watch(key("w"), seen::add)) {
            assertThat(w.created()).isCompleted();
        }
    }

    static Stream<Function<ViewsContract, Object>> timedCalls() {
        return Stream.of(
                t -> t.client.kv().withTimeout(NONE).blocking().get(t.key("k")),
                t -> t.client.kv().blocking().withTimeout(NONE).put(t.key("k"), "v"),
                t -> t.client.lease().withTimeout(NONE).blocking().leases(),
                t -> t.client.cluster().withTimeout(NONE).blocking().memberList(),
                t -> t.client.cluster().withTimeout(NONE).blocking().memberLeader(),
                t -> t.client.maintenance().withTimeout(NONE).blocking().status(t.endpoints().get(0)),
                t -> t.client.maintenance().withTimeout(NONE).blocking().snapshot(t.endpoints().get(0),
                        java.io.OutputStream.nullOutputStream()),
                t -> t.client.auth().withTimeout(NONE).blocking().userList(),
                t -> t.client.watch().withTimeout(NONE).blocking().watch(t.key("w"), r -> { }));
    }

    /**
     * Calls on views that also require a leader, composed both ways round, async and blocking, unary
     * and stream: the deadline stays (the composition is one piece of code for every service).
     */
    static Stream<Function<ViewsContract, Object>> timedLeaderCalls() {
        return Stream.of(
                t -> t.client.kv().withRequireLeader().withTimeout(NONE).blocking().get(t.key("k")),
                t -> t.client.lease().withTimeout(NONE).withRequireLeader().blocking().leases(),
                t -> t.client.auth().withRequireLeader().blocking().withTimeout(NONE).userList(),
                t -> t.client.watch().withTimeout(NONE).withRequireLeader().blocking().watch(t.key("w"), r -> { }));
    }

    /**
     * With a leader, the requireLeader views answer as the plain ones on every service (without one
     * they fail with NoLeaderException: {@code ClusterFailoverIT} stops two members of three).
     */
    @Test
    void requireLeaderViewsAnswerWithALeaderOnEveryService() {
        kv.withRequireLeader().put(key("k"), "v");
        assertThat(result(client.kv().withRequireLeader().get(key("k"))).kvs()).hasSize(1);
        long lease = client.lease().withRequireLeader().blocking().grant(30).leaseId();
        assertThat(client.lease().blocking().withRequireLeader().timeToLive(lease, false).grantedTtl()).isEqualTo(30);
        assertThat(client.cluster().withRequireLeader().blocking().memberList().members()).isNotEmpty();
        assertThat(client.maintenance().blocking().withRequireLeader().status(endpoints().get(0)).leader()).isNotZero();
        assertThat(client.auth().withRequireLeader().blocking().roleList()).isNotNull();
        var locked = client.lock().withRequireLeader().blocking().lock(key("lock"), lease);
        client.lock().blocking().withRequireLeader().unlock(locked.key());
        var campaign = client.election().withRequireLeader().withTimeout(Duration.ofSeconds(10)).blocking()
                .campaign(key("election"), lease, "me");
        assertThat(client.election().withRequireLeader().blocking().leader(key("election")).kv().value().toStringUtf8())
                .isEqualTo("me");
        client.election().blocking().withRequireLeader().resign(campaign.leader());

        List<WatchResponse> seen = new CopyOnWriteArrayList<>();
        try (Watcher w = client.watch().withRequireLeader().blocking().watch(key("w"), seen::add)) {
            assertThat(w.created()).isCompleted();
            kv.put(key("w"), "1");
            Await.until(Duration.ofSeconds(10), "a requireLeader watch sees the put", () -> !seen.isEmpty());
        }
        client.lease().withRequireLeader().revoke(lease).join();
    }

    /** Plain timeout views and those that also require a leader alike: the deadline is the one asked for. */
    @ParameterizedTest
    @MethodSource({"timedCalls", "timedLeaderCalls"})
    void aDeadlineThatCannotBeMetFailsWithATimeoutOnEveryService(Function<ViewsContract, Object> call) {
        assertThatThrownBy(() -> call.apply(this)).isInstanceOf(EtcdTimeoutException.class);
    }

    @Test
    void everyServiceRefusesANonPositiveTimeoutAlike() {
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> client.kv().withTimeout(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.lease().withTimeout(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.watch().withTimeout(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.cluster().withTimeout(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.maintenance().withTimeout(bad))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.auth().withTimeout(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
