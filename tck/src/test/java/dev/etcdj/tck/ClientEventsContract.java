package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.ConnectionState;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.WatchSpec;
import dev.etcdj.client.Watcher;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a client tells its {@link EventListener} and connection state listeners, against a real
 * server: calls, retries and failover, streams that break and resume (through a {@link FaultProxy}),
 * watches and keep-alives, keep-alive lag, token renewal, and the connection's states.
 */
public abstract class ClientEventsContract extends ContractSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Every event as one line, e.g. "callEnd KV/Put SUCCESS". */
    static final class Recorder implements EventListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        boolean has(String prefix) {
            return events.stream().anyMatch(e -> e.startsWith(prefix));
        }

        @Override
        public void callStart(String method, String endpoint) {
            events.add("callStart " + method + " " + endpoint);
        }

        @Override
        public void callEnd(String method, String endpoint, Duration duration, Outcome outcome, EtcdException error) {
            assertThat(duration).isPositive();
            events.add("callEnd " + method + " " + outcome + " " + endpoint);
        }

        @Override
        public void retry(String method, String endpoint, int attempt, Duration backoff, EtcdException cause) {
            events.add("retry " + method + " " + attempt + " " + endpoint);
        }

        @Override
        public void endpointSwitch(String from, String to) {
            events.add("endpointSwitch " + from + " " + to);
        }

        @Override
        public void streamOpened(String stream, String endpoint) {
            events.add("streamOpened " + stream);
        }

        @Override
        public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
            events.add("streamBroken " + stream + " " + permanent);
        }

        @Override
        public void streamResumed(String stream, String endpoint, Duration downtime) {
            events.add("streamResumed " + stream);
        }

        @Override
        public void watchStarted(WatchSpec spec) {
            events.add("watchStarted " + spec.key());
        }

        @Override
        public void watchEnded(WatchSpec spec) {
            events.add("watchEnded " + spec.key());
        }

        @Override
        public void keepAliveStarted(long leaseId) {
            events.add("keepAliveStarted " + leaseId);
        }

        @Override
        public void keepAliveEnded(long leaseId) {
            events.add("keepAliveEnded " + leaseId);
        }

        @Override
        public void keepAliveLag(long leaseId, Duration lag) {
            events.add("keepAliveLag " + leaseId);
        }

        @Override
        public void tokenRenewed(String user) {
            events.add("tokenRenewed " + user);
        }
    }

    private EtcdClient listened(Recorder r, List<String> endpoints) {
        return EtcdClient.builder().endpoints(endpoints).eventListener(r).dialTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void callsAreHeardWithMethodEndpointAndOutcome() {
        Recorder r = new Recorder();
        String endpoint = endpoints().get(0);
        try (EtcdClient c = listened(r, List.of(endpoint))) {
            c.kv().blocking().put(key("k"), "v");
            assertThatThrownBy(() -> c.kv().blocking().put("", "v")).isInstanceOf(EmptyKeyException.class);
            c.lease().blocking().leases();
        }
        assertThat(r.events).containsSubsequence("callStart KV/Put " + endpoint, "callEnd KV/Put SUCCESS " + endpoint,
                "callStart KV/Put " + endpoint, "callEnd KV/Put INVALID_REQUEST " + endpoint,
                "callStart Lease/LeaseLeases " + endpoint, "callEnd Lease/LeaseLeases SUCCESS " + endpoint);
    }

    @Test
    void aRetryOnAnotherEndpointIsHeardAsRetryAndEndpointSwitch() {
        Recorder r = new Recorder();
        FaultProxy dead = FaultProxy.start(endpoints().get(0));
        String deadEndpoint = dead.endpoint();
        dead.close();       // nothing listens there any more: connections are refused
        String live = endpoints().get(0);
        try (EtcdClient c = listened(r, List.of(deadEndpoint, live))) {
            assertThat(c.kv().blocking().get(key("k")).kvs()).isEmpty();
        }
        assertThat(r.events).contains("endpointSwitch " + deadEndpoint + " " + live,
                "retry KV/Range 1 " + deadEndpoint, "callEnd KV/Range SUCCESS " + live);
    }

    @Test
    void aBrokenStreamIsHeardAndSoIsItsResumption() {
        Recorder r = new Recorder();
        try (FaultProxy proxy = FaultProxy.start(endpoints().get(0));
             EtcdClient c = listened(r, List.of(proxy.endpoint()))) {
            Watcher w = c.watch().blocking().watch(key("w"), resp -> { });
            Await.until(WAIT, "the watch stream opened", () -> r.has("streamOpened watch"));
            proxy.dropConnections();
            Await.until(WAIT, "the watch stream broke", () -> r.has("streamBroken watch false"));
            Await.until(WAIT, "the watch stream resumed", () -> r.has("streamResumed watch"));
            w.close();
            Await.until(WAIT, "the watch ended", () -> r.has("watchEnded"));
        }
        assertThat(r.events).containsSubsequence("watchStarted " + key("w"), "streamOpened watch",
                "streamBroken watch false", "streamResumed watch", "watchEnded " + key("w"));
    }

    @Test
    void keepAlivesAreHeardWithTheirLag() {
        Recorder r = new Recorder();
        try (EtcdClient c = listened(r, endpoints())) {
            long lease = c.lease().blocking().grant(5).leaseId();
            try (KeepAlive k = c.lease().keepAlive(lease, new KeepAliveListener() { })) {
                Await.until(WAIT, "a renewal's lag", () -> r.has("keepAliveLag " + lease));
                assertThat(r.events).contains("keepAliveStarted " + lease, "streamOpened keep-alive");
            }
            Await.until(WAIT, "the keep-alive ended", () -> r.has("keepAliveEnded " + lease));
            c.lease().blocking().revoke(lease);
        }
    }

    @Test
    void aNewTokenIsHeard() {
        var auth = client.auth().blocking();
        auth.userAdd("root", "rootpw");
        auth.userGrantRole("root", "root");
        auth.enable();
        Recorder r = new Recorder();
        try (EtcdClient c = EtcdClient.builder().endpoints(endpoints()).credentials("root", "rootpw")
                .eventListener(r).build()) {
            c.kv().blocking().put(key("k"), "v");
            assertThat(r.events).contains("tokenRenewed root");
            c.auth().blocking().disable();
        } finally {
            client.auth().blocking().userDelete("root");
        }
    }

    @Test
    void connectionStatesFollowTheConnection() {
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        FaultProxy proxy = FaultProxy.start(endpoints().get(0));
        try (EtcdClient c = EtcdClient.builder().endpoints(proxy.endpoint()).requestTimeout(Duration.ofSeconds(1))
                .connectionStateListener((client, state) -> states.add(state)).build()) {
            Await.until(WAIT, "CONNECTED without a call", () -> states.contains(ConnectionState.CONNECTED));
            proxy.dropConnections();
            Await.until(WAIT, "RECONNECTED after a dropped connection",
                    () -> states.contains(ConnectionState.RECONNECTED));
            assertThat(states).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.SUSPENDED,
                    ConnectionState.RECONNECTED);
            proxy.close();
            Await.until(WAIT, "LOST once suspended longer than the request timeout",
                    () -> states.get(states.size() - 1) == ConnectionState.LOST);
            assertThat(states.subList(2, states.size())).endsWith(ConnectionState.SUSPENDED, ConnectionState.LOST);
        } finally {
            proxy.close();
        }
    }
}
