package dev.etcdj.client.internal;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One logical call and its attempts. Each attempt runs on the current endpoint; a failure that
 * is safe to retry moves the endpoint on and schedules the next attempt after a backoff, within
 * the call's deadline. Cancelling this future cancels the attempt in flight.
 *
 * <p>Threads: gRPC runs each attempt's listener on the thread that got the response (mostly the
 * event loop), where it is decoded; {@link #attemptEnded} then moves the rest off it in one step,
 * to a thread blocked on this call or else the callback pool, so this future completes, and user
 * stages run, there (on the network thread only when completing directly was asked for:
 * {@code completeOnNetworkThreads}).
 *
 * <p>A class of its own because this state machine (at-most-once for writes, per-endpoint dial
 * budgets, one re-authentication, the most telling error when nothing connects) is the part of the
 * transport that changes most and is tested most; channels and threads are someone else's job.
 */
final class RetryingCall<T> extends HandOverFuture<T> {

    /** Why we cancelled an attempt ourselves (see {@link Attempt}). */
    private static final int DIAL_EXPIRED = 1;
    private static final int DEADLINE_EXPIRED = 2;

    /** The least time an attempt waits for a connection before trying elsewhere. */
    private static final long MIN_CONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final GrpcTransport transport;
    private final EndpointChannels channels;
    private final ClientConfig config;
    private final Transport.UnaryCall<T> call;
    private final boolean idempotent;
    /** The one endpoint this call must go to, or null for any. */
    private final EndpointChannels.Slot fixedEndpoint;
    /** Complete on the network thread (see ClientBuilder.completeOnNetworkThreads). */
    private final boolean direct;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    // Touched by one attempt at a time: each attempt starts after the previous one ended.
    private int retries;
    private int memberRetries;
    private Throwable lastError;
    /** Per endpoint, the last failure that says why we could not connect (TLS, refused, ...). */
    private final Map<EndpointChannels.Slot, ConnectFailure> failures = new LinkedHashMap<>();
    /** The endpoint the last attempt failed on as unavailable, until the next attempt: for the switch event. */
    private EndpointChannels.Slot failedOn;
    private ConnectFailure lastFailure;
    /** The last failure of an attempt that was not ended by our own dial timer. */
    private Throwable lastRealError;
    private boolean reauthenticated;
    private boolean everSent;
    /** The call's method ("KV/Range"), learnt from its first attempt; for events. */
    private volatile String method;
    private volatile String lastEndpoint;
    private volatile boolean started;
    /** Set once {@code callEnd} was reported: a success is reported before the future completes. */
    private final AtomicBoolean endReported = new AtomicBoolean();
    private volatile ListenableFuture<T> inFlight;
    private volatile ScheduledFuture<?> pending;
    /** Learns the method from the channel (see EndpointChannels.METHOD_SINK); one per call, not per attempt. */
    private final Consumer<MethodDescriptor<?, ?>> methodSink = this::noteMethod;

    RetryingCall(GrpcTransport transport, Transport.UnaryCall<T> call, boolean idempotent,
            EndpointChannels.Slot fixedEndpoint,
            long timeoutNanos, boolean direct) {
        this.transport = transport;
        this.channels = transport.channels();
        this.config = transport.config();
        this.call = call;
        this.idempotent = idempotent;
        this.fixedEndpoint = fixedEndpoint;
        this.direct = direct;
        // The same absolute deadline for every attempt: retries never extend it.
        this.deadlineNanos = startNanos + timeoutNanos;
    }

    void attempt() {
        if (isDone()) {
            return;
        }
        if (transport.isClosed()) {
            completeExceptionally(new ClientClosedException());
            return;
        }
        long now = System.nanoTime();
        long remaining = deadlineNanos - now;
        if (remaining <= 0) {
            expiredBetweenAttempts();
            return;
        }
        EndpointChannels.Slot slot = fixedEndpoint != null ? fixedEndpoint : channels.pick();
        if (failedOn != null && failedOn != slot) {
            transport.events().endpointSwitch(failedOn.text, slot.text);
        }
        failedOn = null;
        ConnectivityState state = channels.connect(slot);
        SentTracer tracer = new SentTracer();
        // The options every call shares (direct listener executor, credentials) come ready-made.
        // No gRPC deadline: its grpc-timeout header differs in every call, so HPACK adds each one
        // to the connection's header table on both sides (the encoder's most costly part of a
        // call) and the server keeps a timer per call. The deadline is this call's own timer.
        CallOptions options = transport.unaryCallOptions()
                .withOption(EndpointChannels.METHOD_SINK, methodSink)
                .withStreamTracerFactory(tracer);
        if (deadlineNanos - System.nanoTime() <= 0) {
            expiredBetweenAttempts(); // it ran out while this attempt was being prepared
            return;
        }
        ListenableFuture<T> f;
        try {
            f = call.start(slot.call, options);
        } catch (RuntimeException e) {
            completeExceptionally(Errors.toEtcdException(e));
            return;
        }
        inFlight = f;
        lastEndpoint = slot.text;
        if (!started) {
            started = true;
            transport.events().callStart(methodName(), lastEndpoint);
        }
        if (isCancelled()) {
            f.cancel(true);
            return;
        }
        Attempt why = new Attempt();
        ScheduledFuture<?> deadlineTimer;
        try {
            deadlineTimer = slot.timers.schedule(() -> why.expire(DEADLINE_EXPIRED, f),
                    deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            f.cancel(true);
            completeExceptionally(new ClientClosedException());
            return;
        }
        ScheduledFuture<?> dialTimer = null;
        if (state != ConnectivityState.READY) {
            // The dial timer, which only a call that finds no connection ready needs.
            // Not connected yet: give this endpoint its share of the dial timeout, so one
            // black-holed endpoint cannot use up the whole call while others are fine.
            int shares = fixedEndpoint != null ? 1 : Math.max(1, channels.size());
            long connectBudget = Math.max(MIN_CONNECT_NANOS, config.dialTimeout().toNanos() / shares);
            if (!everSent) {
                connectBudget = Math.min(connectBudget, startNanos + config.dialTimeout().toNanos() - now);
            }
            if (connectBudget < remaining) {
                dialTimer = transport.threads().schedule(() -> {
                    if (!tracer.sent()) {
                        why.expire(DIAL_EXPIRED, f);
                    }
                }, Math.max(0, connectBudget));
            }
        }
        ScheduledFuture<?> timer = dialTimer;
        transport.threads().unaryStarted(); // ended by the listener, which runs exactly once
        f.addListener(() -> {
            transport.threads().unaryEnded();
            deadlineTimer.cancel(false);
            if (timer != null) {
                timer.cancel(false);
            }
            int expired = why.get();
            if (direct) {
                onDone(f, slot, tracer, expired);
            } else {
                attemptEnded(f, slot, tracer, expired);
            }
        }, MoreExecutors.directExecutor());
    }

    /**
     * Runs on whichever thread ended the attempt (mostly the event loop, where the response was
     * decoded) and moves the rest off it in one step, to a thread blocked on this call or else
     * the callback pool ({@link HandOverFuture}): a success completes this future there, so user
     * stages never run on a network thread; a failure is judged there (retry, failover, events).
     */
    private void attemptEnded(ListenableFuture<T> f, EndpointChannels.Slot slot, SentTracer tracer, int expired) {
        if (isDone()) {
            return;
        }
        Runnable rest;
        try {
            T value = Futures.getDone(f);
            rest = () -> succeed(value);
        } catch (ExecutionException | RuntimeException failed) { // CancellationException too
            rest = () -> onDone(f, slot, tracer, expired);
        }
        try {
            handOver(rest, transport.threads().callExecutor());
        } catch (RejectedExecutionException closing) {
            // Only once close() began, which fails every running call itself: this is a no-op
            // unless the call started after close() looked, and then it must still end.
            completeExceptionally(new ClientClosedException());
        }
    }

    private void onDone(ListenableFuture<T> f, EndpointChannels.Slot slot, SentTracer tracer, int expired) {
        if (isDone()) {
            return;
        }
        boolean sent = tracer.sent();
        Throwable error;
        try {
            succeed(Futures.getDone(f));
            return;
        } catch (ExecutionException e) {
            error = e.getCause();
        } catch (CancellationException e) {
            error = e;
        } catch (RuntimeException e) {
            error = e;
        }
        if (transport.isClosed()) {
            completeExceptionally(new ClientClosedException());
            return;
        }
        ConnectFailure failure = null;
        boolean dialExpired = expired == DIAL_EXPIRED;
        if (expired == DEADLINE_EXPIRED) {
            // Our own deadline timer cancelled it: a timeout, as gRPC's deadline would have said.
            error = Status.DEADLINE_EXCEEDED.withDescription("etcdj: deadline exceeded").asRuntimeException();
        }
        if (dialExpired) {
            // We cancelled the attempt ourselves because it found no connection in time. Its
            // CancellationException says nothing; an earlier real failure, if any, says more.
            error = Status.UNAVAILABLE.withDescription("etcdj: no connection to "
                    + slot.text + " in time").asRuntimeException();
        } else {
            lastRealError = error;
            failure = ConnectFailure.of(error, slot.text, slot.tls, channels.clientCertificate(), sent);
            if (failure != null) {
                failures.put(slot, failure);
                lastFailure = failure;
                if (failure.kind() != ConnectFailure.Kind.TLS_HANDSHAKE) {
                    // No connection, or its handshake failed (with TLS 1.3 the client may
                    // already have sent the request, which the server never read): the
                    // request surely reached no server.
                    sent = false;
                }
            }
        }
        everSent |= sent;
        EtcdError etcdError = Errors.etcdError(error);
        if (transport.credentials() != null && !reauthenticated && GrpcTransport.needsNewToken(etcdError)) {
            // The token expired, the auth store moved on, or auth was enabled since we last
            // asked: get a new token and try once more.
            reauthenticated = true;
            transport.credentials().invalidate();
            attempt();
            return;
        }
        Status status = Errors.statusOf(error);
        // Whether the server may have run it: not when its headers never went out, nor when the
        // server said it did not take the stream. gRPC's transparent retry (off: see
        // EndpointChannels) replayed exactly these; a write is retried here instead.
        boolean mayHaveRun = sent && tracer.written() && !Errors.refusedUnprocessed(status);
        boolean unavailable = dialExpired || failure != null || (Errors.isUnavailable(status)
                && !(status.getCause() instanceof EtcdException e && e.error() != EtcdError.UNKNOWN));
        if (!unavailable) {
            if (!sent && lastError != null && status != null && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                // A retry that began just before the deadline and died of it unsent: the news is
                // still why the earlier attempts failed.
                expiredBetweenAttempts();
                return;
            }
            completeExceptionally(failed(error));
            return;
        }
        if (fixedEndpoint == null) {
            channels.failed(slot);
            failedOn = slot;
        }
        // A member that answered "no leader", "leader changed", ... is worth asking again only
        // through another member, once each; with one endpoint the caller hears it at once.
        boolean memberAnswered = etcdError != EtcdError.UNKNOWN;
        if (memberAnswered && (fixedEndpoint != null || ++memberRetries >= channels.size())) {
            completeExceptionally(Errors.toEtcdException(error));
            return;
        }
        List<EndpointChannels.Slot> tried = fixedEndpoint != null ? List.of(fixedEndpoint) : channels.slots();
        if (failure != null && failure.certificate() && ConnectFailure.everyOnACertificate(tried, failures)) {
            // Not transient: trying again until the dial timeout would only delay the answer.
            completeExceptionally(notConnected(error, true));
            return;
        }
        long now = System.nanoTime();
        boolean dialOver = !everSent && now - startNanos >= config.dialTimeout().toNanos();
        if ((idempotent || !mayHaveRun) && retries < config.maxRetries() && !dialOver) {
            long delay = transport.backoff(retries++).toNanos();
            if (now + delay < deadlineNanos) {
                lastError = error;
                transport.events().retry(methodName(), slot.text, retries, delay, error);
                try {
                    pending = transport.threads().schedule(this::attempt, delay);
                    if (isCancelled()) {
                        pending.cancel(false);
                    }
                    return;
                } catch (RejectedExecutionException closing) {
                    completeExceptionally(new ClientClosedException());
                    return;
                }
            }
        }
        completeExceptionally(everSent ? failed(error) : notConnected(error, false));
    }

    /**
     * Which of our timers, if any, cancelled an attempt: the first to fire wins, and none once the
     * attempt has ended by itself. One per attempt.
     */
    private static final class Attempt extends AtomicInteger {
        void expire(int reason, ListenableFuture<?> f) {
            if (!f.isDone() && compareAndSet(0, reason)) {
                f.cancel(true);
            }
        }
    }

    /** The deadline passed before an attempt could start: report why we were retrying, not a bare timeout. */
    private void expiredBetweenAttempts() {
        Throwable last = lastError;
        completeExceptionally(last == null
                ? new EtcdTimeoutException(EtcdError.UNKNOWN, Errors.DEADLINE_MESSAGE, null)
                : everSent ? failed(last) : notConnected(last, false));
    }

    /** The error as the caller sees it; a server's "context canceled" after our deadline is that deadline. */
    private EtcdException failed(Throwable error) {
        EtcdException e = Errors.toEtcdException(error);
        if (e.code() == EtcdException.Code.CANCELLED && System.nanoTime() - deadlineNanos >= 0) {
            return new EtcdTimeoutException(EtcdError.UNKNOWN, Errors.DEADLINE_MESSAGE, e);
        }
        return e;
    }

    /**
     * The call reached no server. Says why in the most telling words we have: each endpoint's
     * diagnosed failure (TLS, certificate, refused), else the last real failure's description
     * and root cause, never our own dial timer's cancel when something better is known.
     */
    private EtcdException notConnected(Throwable error, boolean gaveUpEarly) {
        List<String> eps = fixedEndpoint != null ? List.of(fixedEndpoint.text) : channels.endpoints();
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<EndpointChannels.Slot, ConnectFailure> f : failures.entrySet()) {
            if (fixedEndpoint == null || fixedEndpoint == f.getKey()) {
                reasons.add(f.getValue().message());
            }
        }
        Throwable cause;
        String why;
        if (!reasons.isEmpty()) {
            cause = lastFailure.error();
            why = String.join("; ", reasons);
        } else {
            cause = lastRealError != null ? lastRealError : error;
            why = ConnectFailure.describe(cause);
        }
        return ConnectFailure.couldNotConnect(eps, gaveUpEarly ? "" : " within " + config.dialTimeout().toMillis() + " ms", why,
                cause);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            abort();
        }
        return cancelled;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        if (done && ex instanceof ClientClosedException) {
            abort();
        }
        return done;
    }

    private void abort() {
        ScheduledFuture<?> p = pending;
        if (p != null) {
            p.cancel(false);
        }
        ListenableFuture<T> f = inFlight;
        if (f != null) {
            f.cancel(true);
        }
    }

    /**
     * Tells the listeners that the call succeeded, then completes it: whoever sees the answer (a
     * blocking caller, a stage) sees it counted, in meters too.
     */
    private void succeed(T value) {
        if (isDone()) {
            return;
        }
        ended(null);
        complete(value);
    }

    /** The call ended (however): tell the listeners once, when it was started. */
    void ended(Throwable error) {
        if (started && endReported.compareAndSet(false, true)) {
            transport.events().callEnd(methodName(), lastEndpoint, System.nanoTime() - startNanos, error);
        }
    }

    /** The method for events; "unknown" only for a call that never called its channel (tests' fakes). */
    private String methodName() {
        String m = method;
        return m == null ? "unknown" : m;
    }

    /** The method the call starts, as "Service/Method" ("etcdserverpb.KV/Range" → "KV/Range"). */
    private void noteMethod(MethodDescriptor<?, ?> descriptor) {
        if (method == null) {
            String full = descriptor.getFullMethodName();
            method = full.substring(full.lastIndexOf('.', full.indexOf('/')) + 1);
        }
    }
}
