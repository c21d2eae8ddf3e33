package dev.etcdj.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPolicyTest {

    private static List<EndpointCandidate> of(boolean... connected) {
        List<EndpointCandidate> l = new ArrayList<>();
        for (int i = 0; i < connected.length; i++) {
            l.add(new EndpointCandidate("e" + i, connected[i]));
        }
        return l;
    }

    private static List<Integer> picks(EndpointSelector s, List<EndpointCandidate> c, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(s.select(c));
        }
        return out;
    }

    @Test
    void roundRobinTurnsOverConnectedEndpointsOnly() {
        EndpointSelector s = EndpointPolicy.roundRobin().newSelector();
        assertThat(picks(s, of(true, true, true), 6)).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(picks(s, of(true, false, true), 6)).containsOnly(0, 2).contains(0, 2);
        // None connected: still turns, so that a dead first endpoint does not take every attempt.
        assertThat(picks(s, of(false, false, false), 3)).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void pinnedStaysUntilItsEndpointFailsOrDisconnects() {
        EndpointSelector s = EndpointPolicy.pinned().newSelector();
        assertThat(picks(s, of(true, true, true), 3)).containsExactly(0, 0, 0);
        s.failed("e0");
        assertThat(picks(s, of(true, true, true), 3)).containsExactly(1, 1, 1);
        // e1 not connected any more: the next connected one after it.
        assertThat(picks(s, of(true, false, true), 2)).containsExactly(2, 2);
        // e2 comes before nothing: wraps around to e0 when e2 disconnects.
        assertThat(picks(s, of(true, true, false), 1)).containsExactly(0);
        // None connected: the pinned one, whose connection is being made.
        assertThat(picks(s, of(false, false, false), 2)).containsExactly(0, 0);
        // A failure of another endpoint does not move the pin.
        s.failed("e2");
        assertThat(picks(s, of(true, true, true), 1)).containsExactly(0);
    }

    @Test
    void policiesAreValuesAndEachClientGetsItsOwnSelector() {
        assertThat(EndpointPolicy.roundRobin()).isSameAs(EndpointPolicy.roundRobin());
        assertThat(EndpointPolicy.roundRobin().newSelector()).isNotSameAs(EndpointPolicy.roundRobin().newSelector());
        assertThat(EtcdClient.builder().endpoints("a:1").config())
                .isEqualTo(EtcdClient.builder().endpoints("a:1").endpointPolicy(EndpointPolicy.roundRobin()).config());
        assertThat(EtcdClient.builder().endpoints("a:1").endpointPolicy(EndpointPolicy.pinned()).config().toString())
                .contains("endpointPolicy=pinned");
    }
}
