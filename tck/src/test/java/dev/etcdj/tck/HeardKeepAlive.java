package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseKeepAliveResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a keep-alive says. */
final class HeardKeepAlive implements KeepAliveListener {
    final List<LeaseKeepAliveResponse> renewals = new CopyOnWriteArrayList<>();
    final List<Long> expiredIds = new CopyOnWriteArrayList<>();
    final List<EtcdException> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger expired = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    /** The first terminal call: its error, or an AssertionError naming onExpired or onClosed. */
    final CompletableFuture<EtcdException> end = new CompletableFuture<>();

    @Override
    public void onRenewed(LeaseKeepAliveResponse response) {
        renewals.add(response);
    }

    @Override
    public void onExpired(long leaseId) {
        expiredIds.add(leaseId);
        expired.incrementAndGet();
        end.completeExceptionally(new AssertionError("expired"));
    }

    @Override
    public void onError(EtcdException error) {
        errors.add(error);
        end.complete(error);
    }

    @Override
    public void onClosed() {
        closed.incrementAndGet();
        end.completeExceptionally(new AssertionError("closed"));
    }

    int terminals() {
        return expired.get() + closed.get() + errors.size();
    }

    /**
     * Waits until {@code more} renewals beyond those heard so far have arrived, and checks that the
     * keep-alive has not ended meanwhile: what a keep-alive that rides out a fault must show.
     */
    void awaitMoreRenewals(int more, Duration within) {
        int before = renewals.size();
        await().atMost(within).until(() -> renewals.size() >= before + more);
        assertThat(terminals()).isZero();
    }

    /** Waits for onClosed (the keep-alive or its client was closed) and checks that nothing else ended it. */
    void awaitClosedAsItsOnlyEnd() {
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.get() == 1);
        assertThat(terminals()).isEqualTo(1);
    }
}
