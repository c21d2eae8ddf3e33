package dev.etcdj.client.internal;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EventListener;
import dev.etcdj.client.WatchSpec;
import java.time.Duration;
import java.util.List;
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
        try {
            listener.callStart(method, endpoint);
        } catch (RuntimeException e) {
            threw("callStart", e);
        }
    }

    void callEnd(String method, String endpoint, long nanos, Throwable error) {
        EtcdException e = error == null ? null : Errors.toEtcdException(error);
        try {
            listener.callEnd(method, endpoint, Duration.ofNanos(nanos), EventListener.Outcome.of(e), e);
        } catch (RuntimeException t) {
            threw("callEnd", t);
        }
    }

    void retry(String method, String endpoint, int attempt, long backoffNanos, Throwable cause) {
        EtcdException e = Errors.toEtcdException(cause);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} on {} failed ({}); retry {} in {} ms", method, endpoint, e.getMessage(), attempt,
                    backoffNanos / 1_000_000);
        }
        try {
            listener.retry(method, endpoint, attempt, Duration.ofNanos(backoffNanos), e);
        } catch (RuntimeException t) {
            threw("retry", t);
        }
    }

    void endpointSwitch(String from, String to) {
        LOG.info("failing over from {} to {}", from, to);
        try {
            listener.endpointSwitch(from, to);
        } catch (RuntimeException e) {
            threw("endpointSwitch", e);
        }
    }

    public void streamOpened(String stream, String endpoint) {
        LOG.debug("{} stream open on {}", stream, endpoint);
        try {
            listener.streamOpened(stream, endpoint);
        } catch (RuntimeException e) {
            threw("streamOpened", e);
        }
    }

    public void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {
        if (permanent) {
            LOG.warn("{} stream on {} failed for good: {}", stream, endpoint, cause.getMessage());
        } else {
            LOG.info("{} stream on {} broke ({}); reconnecting", stream, endpoint, cause.getMessage());
        }
        try {
            listener.streamBroken(stream, endpoint, cause, permanent);
        } catch (RuntimeException e) {
            threw("streamBroken", e);
        }
    }

    public void streamResumed(String stream, String endpoint, long downtimeNanos) {
        LOG.info("{} stream resumed on {} after {} ms", stream, endpoint, downtimeNanos / 1_000_000);
        try {
            listener.streamResumed(stream, endpoint, Duration.ofNanos(downtimeNanos));
        } catch (RuntimeException e) {
            threw("streamResumed", e);
        }
    }

    public void watchStarted(WatchSpec spec) {
        try {
            listener.watchStarted(spec);
        } catch (RuntimeException e) {
            threw("watchStarted", e);
        }
    }

    public void watchEnded(WatchSpec spec) {
        try {
            listener.watchEnded(spec);
        } catch (RuntimeException e) {
            threw("watchEnded", e);
        }
    }

    public void keepAliveStarted(long leaseId) {
        try {
            listener.keepAliveStarted(leaseId);
        } catch (RuntimeException e) {
            threw("keepAliveStarted", e);
        }
    }

    public void keepAliveEnded(long leaseId) {
        try {
            listener.keepAliveEnded(leaseId);
        } catch (RuntimeException e) {
            threw("keepAliveEnded", e);
        }
    }

    public void keepAliveLag(long leaseId, long lagNanos) {
        try {
            listener.keepAliveLag(leaseId, Duration.ofNanos(lagNanos));
        } catch (RuntimeException e) {
            threw("keepAliveLag", e);
        }
    }

    void tokenRenewed(String user) {
        LOG.debug("authenticated as {}: new token", user);
        try {
            listener.tokenRenewed(user);
        } catch (RuntimeException e) {
            threw("tokenRenewed", e);
        }
    }

    private static void threw(String event, RuntimeException e) {
        LOG.warn("event listener threw from {}", event, e);
    }

    /** Several listeners: each hears every event; one that throws does not keep it from the others. */
    private record Fanout(List<EventListener> all) implements EventListener {
        private void each(String event, java.util.function.Consumer<EventListener> call) {
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
