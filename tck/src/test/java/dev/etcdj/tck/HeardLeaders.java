package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.LeaderResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * What an election observation heard, with a bounded wait for exactly a sequence of leader values:
 * a value heard twice or out of order fails at once, not at the timeout.
 */
class HeardLeaders implements ElectionListener {
    final List<LeaderResponse> responses = new CopyOnWriteArrayList<>();
    volatile EtcdException error;
    volatile int closed;

    @Override
    public void onLeader(LeaderResponse leader) {
        responses.add(leader);
    }

    @Override
    public void onError(EtcdException e) {
        error = e;
    }

    @Override
    public void onClosed() {
        closed++;
    }

    List<String> values() {
        return responses.stream().map(r -> r.kv().value().toStringUtf8()).toList();
    }

    /** Waits up to {@code atMost} for exactly {@code values}. */
    void await(Duration atMost, String... values) {
        List<String> want = List.of(values);
        Awaitility.await("observer hears " + want).atMost(atMost).until(() -> {
            List<String> got = values();
            assertThat(got.size() <= want.size() && want.subList(0, got.size()).equals(got))
                    .as("heard %s, a prefix of %s (nothing repeated, nothing out of order)", got, want).isTrue();
            return got.equals(want);
        });
    }
}
