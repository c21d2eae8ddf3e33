package dev.etcdj.client.internal;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.WatchSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the client's internals report what happens: to the user's {@link EventListener}, guarded
 * so that a listener that throws cannot break a call or a stream, and to the log. One per client.
 *
 * <p>Log levels: retries and token renewals at DEBUG (routine, frequent under load); failovers,
 * stream breaks that are ridden out and resumed streams at INFO; a stream that ends for good and a
 * listener that throws at WARN.
 */
public final class ClientEvents {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");

    /** Nothing to tell anyone: for transports made without a client (tests). */
    public static final ClientEvents NONE = new ClientEvents(List.of());

    private final EventListener listener;

    public ClientEvents(List<EventListener> listeners) {
        this.listener = listeners.isEmpty() ? EventListener.NONE
                : listeners.size() == 1 ? listeners.get(0) : new Fanout(List.copyOf(listeners));
    }

    void callStart(String method, String endpoint) {
        if (listener == EventListener.NONE) {
            return;     // every call passes here: no work when nobody listens
        }
        tell("callStart", l -> l.callStart(method, endpoint));
    }

    void callEnd(String method, String endpoint, long nanos, Throwable error) {
        if (listener == EventListener.NONE) {
            return;
        }
        EtcdException e = error == null ? null : Errors.toEtcdException(error);
        tell("callEnd", l -> l.callEnd(method, endpoint, Duration.ofNanos(nanos), EventListener.Outcome.of(e), e));
    }

    void retry(String method, String endpoint, int attempt, long backoffNanos, Throwable cause) {
        EtcdException e = Errors.toEtcdException(cause);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} on {} failed ({}); retry {} in {} ms", method, endpoint, e.getMessage(), attempt,
                    backoffNanos / 1_000_000);
        }
        tell("retry", l -> l.retry(method, endpoint, attempt, Duration.ofNanos(backoffNanos), e));
    }

    void endpointSwitch(String from, String to) {
        LOG.info("failing over from {} to {}", from, to);
        tell("endpointSwitch", l -> l.endpointSwitch(from, to));
    }

    void endpointsChanged(List<String> endpoints) {
        tell("endpointsChanged", l -> l.endpointsChanged(endpoints));
    }

    public void streamOpened(String stream, String endpoint) {
        LOG.debug("{} stream open on {}", stream, endpoint);
        tell("streamOpened", l -> l.streamOpened(stream, endpoint));
    }

    public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
        if (permanent) {
            LOG.warn("{} stream on {} failed for good: {}", stream, endpoint, cause.getMessage());
        } else {
            LOG.info("{} stream on {} broke ({}); reconnecting", stream, endpoint, cause.getMessage());
        }
        tell("streamBroken", l -> l.streamBroken(stream, endpoint, cause, permanent));
    }

    public void streamResumed(String stream, String endpoint, long downtimeNanos) {
        LOG.info("{} stream resumed on {} after {} ms", stream, endpoint, downtimeNanos / 1_000_000);
        tell("streamResumed", l -> l.streamResumed(stream, endpoint, Duration.ofNanos(downtimeNanos)));
    }

    public void watchStarted(WatchSpec spec) {
        tell("watchStarted", l -> l.watchStarted(spec));
    }

    public void watchEnded(WatchSpec spec) {
        tell("watchEnded", l -> l.watchEnded(spec));
    }

    public void keepAliveStarted(long leaseId) {
        tell("keepAliveStarted", l -> l.keepAliveStarted(leaseId));
    }

    public void keepAliveEnded(long leaseId) {
        tell("keepAliveEnded", l -> l.keepAliveEnded(leaseId));
    }

    public void keepAliveLag(long leaseId, long lagNanos) {
        tell("keepAliveLag", l -> l.keepAliveLag(leaseId, Duration.ofNanos(lagNanos)));
    }

    void tokenRenewed(String user) {
        LOG.debug("authenticated as {}: new token", user);
        tell("tokenRenewed", l -> l.tokenRenewed(user));
    }

    /** Hands an event to the listener; one that throws is logged, never allowed to break the client. */
    private void tell(String event, Consumer<EventListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            threw(event, e);
        }
    }

    private static void threw(String event, RuntimeException e) {
        LOG.warn("event listener threw from {}", event, e);
    }

    /** Several listeners: each hears every event; one that throws does not keep it from the others. */
    private record Fanout(List<EventListener> all) implements EventListener {
        private void each(String event, Consumer<EventListener> call) {
            for (EventListener l : all) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    threw(event, e);
                }
            }
        }

        @Override
        public void callStart(String method, String endpoint) {
            each("callStart", l -> l.callStart(method, endpoint));
        }

        @Override
        public void callEnd(String method, String endpoint, Duration duration, Outcome outcome, EtcdException error) {
            each("callEnd", l -> l.callEnd(method, endpoint, duration, outcome, error));
        }

        @Override
        public void retry(String method, String endpoint, int attempt, Duration backoff, EtcdException cause) {
            each("retry", l -> l.retry(method, endpoint, attempt, backoff, cause));
        }

        @Override
        public void endpointSwitch(String from, String to) {
            each("endpointSwitch", l -> l.endpointSwitch(from, to));
        }

        @Override
        public void endpointsChanged(List<String> endpoints) {
            each("endpointsChanged", l -> l.endpointsChanged(endpoints));
        }

        @Override
        public void streamOpened(String stream, String endpoint) {
            each("streamOpened", l -> l.streamOpened(stream, endpoint));
        }

        @Override
        public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
            each("streamBroken", l -> l.streamBroken(stream, endpoint, cause, permanent));
        }

        @Override
        public void streamResumed(String stream, String endpoint, Duration downtime) {
            each("streamResumed", l -> l.streamResumed(stream, endpoint, downtime));
        }

        @Override
        public void watchStarted(WatchSpec spec) {
            each("watchStarted", l -> l.watchStarted(spec));
        }

        @Override
        public void watchEnded(WatchSpec spec) {
            each("watchEnded", l -> l.watchEnded(spec));
        }

        @Override
        public void keepAliveStarted(long leaseId) {
            each("keepAliveStarted", l -> l.keepAliveStarted(leaseId));
        }

        @Override
        public void keepAliveEnded(long leaseId) {
            each("keepAliveEnded", l -> l.keepAliveEnded(leaseId));
        }

        @Override
        public void keepAliveLag(long leaseId, Duration lag) {
            each("keepAliveLag", l -> l.keepAliveLag(leaseId, lag));
        }

        @Override
        public void tokenRenewed(String user) {
            each("tokenRenewed", l -> l.tokenRenewed(user));
        }
    }
}
