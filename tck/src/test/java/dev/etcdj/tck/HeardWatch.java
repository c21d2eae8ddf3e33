package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything one watch hears, for the contracts that count what a watch was told. */
final class HeardWatch implements WatchListener {
    private static final Duration T = Duration.ofSeconds(30);

    final List<WatchResponse> responses = new CopyOnWriteArrayList<>();
    final CompletableFuture<EtcdException> error = new CompletableFuture<>();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void onNext(WatchResponse response) {
        responses.add(response);
    }

    @Override
    public void onError(EtcdException e) {
        errors.incrementAndGet();
        error.complete(e);
    }

    @Override
    public void onClosed() {
        closed.incrementAndGet();
    }

    int events() {
        return responses.stream().mapToInt(r -> r.events().size()).sum();
    }

    List<Long> revisions() {
        List<Long> out = new ArrayList<>();
        responses.forEach(r -> r.events().forEach(e -> out.add(e.kv().modRevision())));
        return out;
    }

    /** onError and onClosed calls together: a watch ends with one at most. */
    int terminals() {
        return closed.get() + errors.get();
    }

    void awaitEvents(int n) {
        await().atMost(T).until(() -> events() >= n || error.isDone());
        assertThat(error).isNotDone();
    }
}
