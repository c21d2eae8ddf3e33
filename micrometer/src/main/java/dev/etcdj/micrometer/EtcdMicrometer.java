package dev.etcdj.micrometer;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.WatchSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records an etcdj client's events as Micrometer meters:
 * <pre>{@code
 * EtcdClient client = EtcdClient.builder().endpoints(...)
 *         .eventListener(EtcdMicrometer.bind(registry))
 *         .build();
 * }</pre>
 * The meters (every one also carries the tags given to {@link #bind(MeterRegistry, Iterable)}):
 * <ul>
 *   <li>{@value #REQUESTS} (timer; tags {@code method}, e.g. {@code KV/Range}, and {@code outcome},
 *       e.g. {@code SUCCESS}, {@code UNAVAILABLE}, {@code TIMEOUT}): unary calls, retries included;
 *   <li>{@value #RETRIES} (counter; tag {@code method}): attempts retried;
 *   <li>{@value #FAILOVERS} (counter): moves from one endpoint to another;
 *   <li>{@value #WATCHES} (gauge): watches running now;
 *   <li>{@value #KEEP_ALIVES} (gauge): keep-alives running now;
 *   <li>{@value #STREAM_BREAKS} (counter; tags {@code stream}: {@code watch}, {@code keep-alive} or
 *       {@code observe}, and {@code permanent}): long-lived streams that broke;
 *   <li>{@value #STREAM_RECONNECTS} (counter; tag {@code stream}): broken streams opened again;
 *   <li>{@value #KEEP_ALIVE_LAG} (timer): how long the server took to renew a lease;
 *   <li>{@value #TOKEN_RENEWALS} (counter): fresh auth tokens.
 * </ul>
 */
public final class EtcdMicrometer {

    public static final String REQUESTS = "etcdj.client.requests";
    public static final String RETRIES = "etcdj.client.retries";
    public static final String FAILOVERS = "etcdj.client.failovers";
    public static final String WATCHES = "etcdj.client.watches.active";
    public static final String KEEP_ALIVES = "etcdj.client.keepalives.active";
    public static final String STREAM_BREAKS = "etcdj.client.stream.breaks";
    public static final String STREAM_RECONNECTS = "etcdj.client.stream.reconnects";
    public static final String KEEP_ALIVE_LAG = "etcdj.client.keepalive.lag";
    public static final String TOKEN_RENEWALS = "etcdj.client.token.renewals";

    private EtcdMicrometer() {}

    /** A listener that records the client's events in {@code registry}; register it on the client's builder. */
    public static EventListener bind(MeterRegistry registry) {
        return bind(registry, Tags.empty());
    }

    /** The same, with {@code tags} on every meter (e.g. {@code client=orders} when an app has several clients). */
    public static EventListener bind(MeterRegistry registry, Iterable<Tag> tags) {
        return new Meters(Objects.requireNonNull(registry, "registry"), Tags.of(tags));
    }

    private static final class Meters implements EventListener {
        private final MeterRegistry registry;
        private final Tags tags;
        private final Counter failovers;
        private final Counter tokenRenewals;
        private final Timer keepAliveLag;
        private final AtomicLong watches = new AtomicLong();
        private final AtomicLong keepAlives = new AtomicLong();

        Meters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            this.tags = tags;
            this.failovers = counter(FAILOVERS, "Moves from one endpoint to another");
            this.tokenRenewals = counter(TOKEN_RENEWALS, "Fresh auth tokens");
            this.keepAliveLag = timer(KEEP_ALIVE_LAG, "How long the server took to renew a lease");
            registry.gauge(WATCHES, tags, watches);
            registry.gauge(KEEP_ALIVES, tags, keepAlives);
        }

        /** The counter {@code name} with the common tags and {@code keyValues} (tag names and values in turn). */
        private Counter counter(String name, String description, String... keyValues) {
            return Counter.builder(name).description(description).tags(tags).tags(keyValues).register(registry);
        }

        /** The timer {@code name} with the common tags and {@code keyValues} (tag names and values in turn). */
        private Timer timer(String name, String description, String... keyValues) {
            return Timer.builder(name).description(description).tags(tags).tags(keyValues).register(registry);
        }

        @Override
        public void callEnd(String method, String endpoint, Duration duration, Outcome outcome, EtcdException error) {
            timer(REQUESTS, "Unary calls, retries included", "method", method, "outcome", outcome.name())
                    .record(duration);
        }

        @Override
        public void retry(String method, String endpoint, int attempt, Duration backoff, EtcdException cause) {
            counter(RETRIES, "Attempts retried", "method", method).increment();
        }

        @Override
        public void endpointSwitch(String from, String to) {
            failovers.increment();
        }

        @Override
        public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
            counter(STREAM_BREAKS, "Long-lived streams that broke", "stream", stream,
                    "permanent", Boolean.toString(permanent)).increment();
        }

        @Override
        public void streamResumed(String stream, String endpoint, Duration downtime) {
            counter(STREAM_RECONNECTS, "Broken streams opened again", "stream", stream).increment();
        }

        @Override
        public void watchStarted(WatchSpec spec) {
            watches.incrementAndGet();
        }

        @Override
        public void watchEnded(WatchSpec spec) {
            watches.decrementAndGet();
        }

        @Override
        public void keepAliveStarted(long leaseId) {
            keepAlives.incrementAndGet();
        }

        @Override
        public void keepAliveEnded(long leaseId) {
            keepAlives.decrementAndGet();
        }

        @Override
        public void keepAliveLag(long leaseId, Duration lag) {
            keepAliveLag.record(lag);
        }

        @Override
        public void tokenRenewed(String user) {
            tokenRenewals.increment();
        }
    }
}
