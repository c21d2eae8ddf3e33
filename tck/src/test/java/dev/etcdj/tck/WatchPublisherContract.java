package dev.etcdj.tck;

import static dev.etcdj.client.Options.prefix;
import static dev.etcdj.client.Options.revision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.CompactedException;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchPublisher;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A watch as a {@link java.util.concurrent.Flow.Publisher}: demand gates delivery, nothing is lost
 * or reordered while the subscriber holds back, cancel ends the watch, a compacted start is onError.
 */
public abstract class WatchPublisherContract extends ContractSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Records what it gets; requests only what the test asks for. */
    private static final class Recorder implements Flow.Subscriber<WatchResponse> {
        final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final CountDownLatch terminated = new CountDownLatch(1);
        volatile Flow.Subscription subscription;
        volatile int responses;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(WatchResponse item) {
            responses++;
            events.addAll(item.events());
        }

        @Override
        public void onError(Throwable throwable) {
            error.set(throwable);
            terminated.countDown();
        }

        @Override
        public void onComplete() {
            terminated.countDown();
        }
    }

    @Test
    void deliveryFollowsDemandAndLosesNothing() {
        long start = currentRevision() + 1;
        WatchPublisher publisher = client.watch().publisher(key("p/"), prefix(), revision(start));
        Recorder rec = new Recorder();
        publisher.subscribe(rec);
        assertThat(rec.subscription).isNotNull();
        for (int i = 0; i < 5; i++) {
            kv.put(key("p/" + i), "v" + i); // five revisions: five responses from a watch that keeps up
        }
        rec.subscription.request(2);
        Await.until(WAIT, "two responses", () -> rec.responses == 2);
        // No demand left: the rest waits, however long we look.
        kv.put(key("p/5"), "v5");
        assertThat(Await.poll(Duration.ofMillis(300), () -> rec.responses > 2)).isFalse();

        rec.subscription.request(Long.MAX_VALUE);
        Await.until(WAIT, "all six events", () -> rec.events.size() == 6);
        assertThat(rec.events).extracting(e -> e.kv().value().toStringUtf8())
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
        assertThat(rec.events).extracting(e -> e.kv().modRevision())
                .isSorted().doesNotHaveDuplicates().first().isEqualTo(start);
        rec.subscription.cancel();
        kv.put(key("p/6"), "after-cancel");
        assertThat(Await.poll(Duration.ofMillis(300), () -> rec.events.size() > 6)).isFalse();
        assertThat(rec.terminated.getCount()).as("no terminal signal after cancel").isEqualTo(1);
    }

    @Test
    void aNonPositiveRequestFailsTheSubscription() throws Exception {
        Recorder rec = new Recorder();
        client.watch().publisher(key("bad")).subscribe(rec);
        rec.subscription.request(0);
        assertThat(rec.terminated.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(rec.error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    }

    @Test
    void aCompactedStartEndsWithOnError() throws Exception {
        long first = kv.put(key("c"), "1").header().revision();
        long second = kv.put(key("c"), "2").header().revision();
        kv.compact(second);
        Recorder rec = new Recorder();
        client.watch().publisher(key("c"), revision(first)).subscribe(rec);
        rec.subscription.request(1);
        assertThat(rec.terminated.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(rec.error.get()).isInstanceOfSatisfying(CompactedException.class,
                e -> assertThat(e.compactRevision()).isEqualTo(second));
    }
}
