package dev.etcdj.client;

import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A watch as a {@link Flow.Publisher} of {@link WatchResponse}s, for Reactor
 * ({@code Flux.from(JdkFlowAdapter.flowPublisherToFlux(p))}), RxJava and other Reactive Streams
 * libraries. Each subscription starts its own watch and ends it when cancelled.
 *
 * <p>Demand is the client's own backpressure: while a subscriber has no outstanding demand, the
 * watch's delivery waits for it, so its responses stay unconsumed and, past the client's backlog
 * limits, the client stops reading the watch stream (see {@link WatchListener}). Nothing is dropped
 * and nothing is buffered without bound. {@code onComplete} follows a close of the client; a watch
 * that cannot go on ({@link CompactedException}, {@link PermissionDeniedException}, ...) ends with
 * {@code onError}. Signals follow the Reactive Streams rules: serialized, none after a terminal one
 * or a cancel, and a non-positive request fails the subscription with
 * {@link IllegalArgumentException}.
 */
public final class WatchPublisher implements Flow.Publisher<WatchResponse> {

    private final WatchClient watches;
    private final WatchSpec spec;

    public WatchPublisher(WatchClient watches, WatchSpec spec) {
        this.watches = Objects.requireNonNull(watches, "watches");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super WatchResponse> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        WatchSubscription subscription = new WatchSubscription(subscriber);
        subscriber.onSubscribe(subscription);
        subscription.start();
    }

    public WatchSpec spec() {
        return spec;
    }

    /** One subscriber's watch; its listener waits for demand on the watch's own callback thread. */
    private final class WatchSubscription implements Flow.Subscription, WatchListener {

        private final Flow.Subscriber<? super WatchResponse> subscriber;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition demanded = lock.newCondition();
        private long demand;
        private boolean cancelled;
        private boolean done;
        private Watcher watcher;

        WatchSubscription(Flow.Subscriber<? super WatchResponse> subscriber) {
            this.subscriber = subscriber;
        }

        void start() {
            Watcher w = watches.watch(spec, this);
            lock.lock();
            try {
                watcher = w;
                if (!cancelled) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            w.close(); // cancelled before the watch existed
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (cancelled || done) {
                    return;
                }
                if (n <= 0) {
                    // Rule 3.9: fail the subscription, and stop the watch.
                    done = true;
                    demanded.signalAll();
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n; // rule 3.17: saturate
                    demanded.signalAll();
                    return;
                }
            } finally {
                lock.unlock();
            }
            closeWatch();
            subscriber.onError(new IllegalArgumentException("non-positive request (rule 3.9): " + n));
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                demanded.signalAll();
            } finally {
                lock.unlock();
            }
            closeWatch();
        }

        @Override
        public void onNext(WatchResponse response) {
            lock.lock();
            try {
                while (demand == 0 && !cancelled && !done) {
                    // Waiting here keeps the response unconsumed: the client's backpressure.
                    try {
                        demanded.await();
                    } catch (InterruptedException e) {
                        // The client is closing its threads: stop waiting; onClosed follows.
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (cancelled || done) {
                    return;
                }
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
            } finally {
                lock.unlock();
            }
            subscriber.onNext(response);
        }

        @Override
        public void onError(EtcdException error) {
            if (finish()) {
                subscriber.onError(error);
            }
        }

        @Override
        public void onClosed() {
            if (finish()) {
                subscriber.onComplete();
            }
        }

        /** True when the terminal signal is still ours to send. */
        private boolean finish() {
            lock.lock();
            try {
                if (cancelled || done) {
                    return false;
                }
                done = true;
                return true;
            } finally {
                lock.unlock();
            }
        }

        private void closeWatch() {
            Watcher w;
            lock.lock();
            try {
                w = watcher;
            } finally {
                lock.unlock();
            }
            if (w != null) {
                w.close();
            }
        }
    }
}
