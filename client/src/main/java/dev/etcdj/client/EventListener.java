package dev.etcdj.client;

import java.time.Duration;

/**
 * Hears what a client does, for metrics, tracing and diagnostics (like OkHttp's
 * {@code EventListener}). Register one with {@link ClientBuilder#eventListener(EventListener)};
 * {@code etcdj-micrometer} offers one that records meters.
 *
 * <p>Methods are called on whichever client thread the event happens on, network threads
 * included, possibly concurrently: they must be quick and must not block or call the client
 * synchronously. An exception a method throws is logged and otherwise ignored. Every method has an
 * empty default, so a listener overrides only what it needs, and new events never break it.
 *
 * <p>Method names are etcd's gRPC service and method, e.g. {@code KV/Range}, {@code Lease/LeaseGrant};
 * endpoints are as given to the builder.
 */
public interface EventListener {

    /** A listener that ignores everything. */
    EventListener NONE = new EventListener() {};

    /** A unary call was started: its first attempt is about to go to {@code endpoint}. */
    default void callStart(String method, String endpoint) {}

    /**
     * A unary call ended, after all its attempts. A success is told before the call's future
     * completes, so whoever sees the answer (a blocking caller, a stage) sees it counted.
     *
     * @param endpoint the endpoint of its last attempt
     * @param duration from {@link #callStart} to the end, retries included
     * @param outcome its result's category
     * @param error the failure, or null on success
     */
    default void callEnd(String method, String endpoint, Duration duration, Outcome outcome, EtcdException error) {}

    /**
     * An attempt of a unary call failed in a way that is safe to retry; the next attempt starts after
     * {@code backoff}, possibly on another endpoint.
     *
     * @param attempt the number of the retry about to be made: 1 for the first retry
     */
    default void retry(String method, String endpoint, int attempt, Duration backoff, EtcdException cause) {}

    /**
     * A call's next attempt, or a broken stream opened again, goes to another endpoint than the one
     * it failed on because that endpoint could not serve it (a failover): once per call or stream
     * that moved.
     */
    default void endpointSwitch(String from, String to) {}

    /**
     * The client's endpoints changed: {@link EtcdClient#sync()} (or the auto sync) found other
     * members, or {@link EtcdClient#setEndpoints} was called.
     *
     * @param endpoints the endpoints from now on, in order
     */
    default void endpointsChanged(java.util.List<String> endpoints) {}

    /**
     * A long-lived stream ({@code "watch"}, {@code "keep-alive"} or {@code "observe"}) was answered by
     * the server for the first time since it was needed.
     */
    default void streamOpened(String stream, String endpoint) {}

    /**
     * A long-lived stream broke. Unless {@code permanent}, it is opened again after a backoff (and
     * {@link #streamResumed} follows once that works); a permanent failure ends its watches,
     * keep-alives or election observation with this error.
     */
    default void streamBroken(String stream, String endpoint, EtcdException cause, boolean permanent) {}

    /** A stream that broke was opened again and answered; {@code downtime} since it broke. */
    default void streamResumed(String stream, String endpoint, Duration downtime) {}

    /** A watch was started; {@link #watchEnded} follows once it ends, for whatever reason. */
    default void watchStarted(WatchSpec spec) {}

    default void watchEnded(WatchSpec spec) {}

    /** A keep-alive of the lease was started; {@link #keepAliveEnded} follows once it ends. */
    default void keepAliveStarted(long leaseId) {}

    default void keepAliveEnded(long leaseId) {}

    /**
     * The server renewed the lease {@code lag} after the client asked for it (from the oldest renewal
     * request still unanswered). A lag that nears the lease's TTL means the lease is at risk.
     */
    default void keepAliveLag(long leaseId, Duration lag) {}

    /** The client authenticated anew as {@code user} and got a fresh token. */
    default void tokenRenewed(String user) {}

    /** The category of a call's result: what a meter tags it with. */
    enum Outcome {
        SUCCESS, UNAVAILABLE, TIMEOUT, INVALID_REQUEST, AUTH, NOT_FOUND, PRECONDITION, CANCELLED, CLIENT_CLOSED, OTHER;

        /** The category of a failure (null: {@link #SUCCESS}), by its exception's category. */
        public static Outcome of(Throwable error) {
            if (error == null) {
                return SUCCESS;
            }
            if (error instanceof ClientClosedException) {
                return CLIENT_CLOSED;
            }
            if (error instanceof EtcdUnavailableException) {
                return UNAVAILABLE;
            }
            if (error instanceof EtcdTimeoutException) {
                return TIMEOUT;
            }
            if (error instanceof EtcdInvalidRequestException) {
                return INVALID_REQUEST;
            }
            if (error instanceof AuthException) {
                return AUTH;
            }
            if (error instanceof EtcdNotFoundException) {
                return NOT_FOUND;
            }
            if (error instanceof EtcdPreconditionException) {
                return PRECONDITION;
            }
            if (error instanceof java.util.concurrent.CancellationException
                    || error instanceof EtcdException e && e.code() == EtcdException.Code.CANCELLED) {
                return CANCELLED;
            }
            return OTHER;
        }
    }
}
