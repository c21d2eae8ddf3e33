package dev.etcdj.client.internal;

import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import dev.etcdj.client.InvalidEndpointException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;

/**
 * The gRPC {@link Transport}: ties together the channels ({@link EndpointChannels}), the threads
 * ({@link ClientThreads}), the retry state machine of unary calls ({@link RetryingCall}) and the
 * auth token ({@link TokenCredentials}), all kept in the {@link TransportState} the client's
 * transport and its views share; decides what a failed stream means. A view (every service's
 * {@code withTimeout} and {@code withRequireLeader}) is this class over the same state with other
 * {@link CallSettings}: its unary calls default to the view's deadline, and every call (unary or
 * stream) carries the view's requireLeader, so the views of all services mean the same and compose.
 */
public final class GrpcTransport implements Transport, AutoCloseable {

    /** How far a backoff varies around its nominal value, either way: Go's 10 %. */
    static final double JITTER_FRACTION = 0.10;

    static final Metadata.Key<String> TOKEN_KEY = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private final TransportState state;
    private final CallSettings settings;
    /** Whether this is the client's transport, not a view: only it may close the shared state. */
    private final boolean root;
    /** What every unary attempt's options start from: see {@link #unaryCallOptions}. */
    private final CallOptions unaryCallOptions;

    public GrpcTransport(ClientConfig config) {
        this(new TransportState(config), CallSettings.NONE, true);
    }

    private GrpcTransport(TransportState state, CallSettings settings, boolean root) {
        this.state = state;
        this.settings = settings;
        this.root = root;
        this.unaryCallOptions = settings.apply(state.unaryCallOptions);
    }

    /**
     * The options every unary attempt starts from: the shared ones (see
     * {@link TransportState#unaryCallOptions}) under this transport's settings.
     */
    CallOptions unaryCallOptions() {
        return unaryCallOptions;
    }

    @Override
    public CallSettings settings() {
        return settings;
    }

    /** The same transport, over the same state, under other settings; closing it is the client's. */
    @Override
    public Transport view(CallSettings settings) {
        return new GrpcTransport(state, settings, false);
    }

    // ---- unary calls

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return start(null, timeout, idempotent, state.config.completeOnNetworkThreads(), call);
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        EndpointChannels.Slot slot;
        try {
            slot = state.channels.named(endpoint);
        } catch (InvalidEndpointException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IllegalStateException closing) {
            return CompletableFuture.failedFuture(new ClientClosedException());
        }
        // Retried only while it surely reached no server: callers use this for calls that must
        // not run twice against one member (a snapshot already half written to the caller's stream).
        return start(slot, timeout, false, state.config.completeOnNetworkThreads(), call);
    }

    private <T> CompletableFuture<T> start(EndpointChannels.Slot fixedEndpoint, Duration timeout, boolean idempotent, boolean direct,
            UnaryCall<T> call) {
        Duration t = timeout == null ? requestTimeout() : timeout;
        RetryingCall<T> c = new RetryingCall<>(this, call, idempotent, fixedEndpoint, t.toNanos(), direct);
        if (state.isClosed()) {
            c.completeExceptionally(new ClientClosedException());
            return c;
        }
        state.running.add(c);
        c.whenComplete((v, e) -> {
            state.running.remove(c);
            c.ended(e);
        });
        if (state.isClosed()) {
            // close() may have run between the check and the add and missed this call.
            c.completeExceptionally(new ClientClosedException());
            return c;
        }
        c.attempt();
        return c;
    }

    // ---- streams

    @Override
    public Channel streamChannel() {
        // Prefer a connected endpoint: a stream opened on a dead one fails (or, blackholed, stays silent).
        EndpointChannels.Slot slot = state.channels.pick();
        EndpointChannels.Slot failedOn = state.streamFailedOn;
        if (failedOn != null && failedOn != slot) {
            state.streamFailedOn = null;
            state.events.endpointSwitch(failedOn.text, slot.text);
        }
        state.channels.connect(slot);
        return slot.call;
    }

    @Override
    public CallOptions streamCallOptions() {
        return settings.apply(state.streamCallOptions);
    }

    @Override
    public StreamFailure streamFailed(Channel channel, Throwable error, boolean sent) {
        EtcdError etcdError = Errors.etcdError(error);
        if (state.credentials != null && needsNewToken(etcdError)) {
            state.credentials.invalidate();
        }
        EndpointChannels.Slot slot = state.channels.slotOf(channel);
        Status status = Errors.statusOf(error);
        // Not refused by something of ours (credentials) but by the endpoint or the way to it.
        boolean unreachable = slot != null && Errors.isUnavailable(status)
                && !(status.getCause() instanceof EtcdException);
        ConnectFailure failure = unreachable ? ConnectFailure.of(error, slot.text, slot.tls,
                state.channels.clientCertificate(), sent) : null;
        // A diagnosed failure, or one before the stream ever got onto a connection: a failure to connect.
        boolean connecting = failure != null || (unreachable && !sent);
        boolean permanent = false;
        EtcdException mapped = null;
        if (slot != null) {
            synchronized (state.streamFailures) {
                if (failure != null) {
                    state.streamFailures.put(slot, failure);
                } else if (sent) {
                    // A stream that got onto a connection clears the endpoint's diagnosis.
                    state.streamFailures.remove(slot);
                }
                ConnectFailure known = connecting ? state.streamFailures.get(slot) : null;
                List<EndpointChannels.Slot> inUse = state.channels.slots();
                if (failure != null && failure.certificate() && ConnectFailure.everyOnACertificate(inUse, state.streamFailures)) {
                    // In the words a unary call uses, with every endpoint's reason.
                    permanent = true;
                    mapped = ConnectFailure.couldNotConnect(state.channels.endpoints(), "", inUse.stream()
                            .map(s -> state.streamFailures.get(s).message()).collect(Collectors.joining("; ")),
                            failure.error());
                } else if (connecting) {
                    // gRPC's words ("io exception") for an attempt the diagnosis of an earlier one explains.
                    mapped = ConnectFailure.couldNotConnect(List.of(slot.text), "",
                            known != null ? known.message() : ConnectFailure.describe(error),
                            known != null ? known.error() : error);
                }
            }
        }
        if (mapped == null) {
            permanent = Errors.haltsStream(error);
            mapped = Errors.toEtcdException(error);
        }
        boolean unavailable = failure != null || Errors.isUnavailable(status)
                || etcdError.code() == EtcdException.Code.UNAVAILABLE
                || error instanceof EtcdException e && e.code() == EtcdException.Code.UNAVAILABLE;
        if (unavailable && slot != null) {
            state.channels.failed(slot);
            state.streamFailedOn = slot;
        }
        return new StreamFailure(mapped, permanent);
    }

    /** The errors a fresh token cures; USER_EMPTY means we sent none because auth was off when we asked. */
    static boolean needsNewToken(EtcdError e) {
        return e == EtcdError.INVALID_AUTH_TOKEN || e == EtcdError.AUTH_OLD_REVISION || e == EtcdError.USER_EMPTY;
    }

    // ---- the rest of Transport

    @Override
    public List<String> endpoints() {
        return state.channels.endpoints();
    }

    /**
     * Uses these endpoints from now on (see {@link EndpointChannels#setEndpoints}); streams on a
     * dropped one are moved within the request timeout.
     *
     * @return whether they changed
     */
    public boolean setEndpoints(List<String> endpoints) {
        return state.channels.setEndpoints(endpoints, state.config.requestTimeout().toNanos());
    }

    @Override
    public EtcdException toEtcdException(Throwable error) {
        return Errors.toEtcdException(error);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return state.threads.scheduler();
    }

    @Override
    public Executor callbackExecutor() {
        return state.threads.callExecutor();
    }

    @Override
    public Duration backoff(int attempt) {
        long base = state.config.retryBackoff().toNanos();
        long max = state.config.retryMaxBackoff().toNanos();
        int shift = Math.max(0, Math.min(attempt, 30));
        long d = base << shift;
        d = d <= 0 || d > max ? max : d;
        // Jitter, as Go's retry interceptor: clients that failed together do not retry in lock-step.
        double jitter = 1 + JITTER_FRACTION * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofNanos((long) (d * jitter));
    }

    @Override
    public ClientEvents events() {
        return state.events;
    }

    @Override
    public String endpointOf(Channel channel) {
        EndpointChannels.Slot slot = state.channels.slotOf(channel);
        return slot != null ? slot.text : channel.authority();
    }

    /** Starts telling the connection state listeners about {@code client}'s connection. */
    void followConnections(EtcdClient client) {
        state.connectionStates.start(client);
    }

    @Override
    public Duration requestTimeout() {
        return settings.timeout() != null ? settings.timeout() : state.config.requestTimeout();
    }

    @Override
    public boolean isClosed() {
        return state.isClosed();
    }

    ClientConfig config() {
        return state.config;
    }

    EndpointChannels channels() {
        return state.channels;
    }

    ClientThreads threads() {
        return state.threads;
    }

    /** The call credentials, or null without a user. */
    TokenCredentials credentials() {
        return state.credentials;
    }

    /**
     * Stops every call, channel and thread of the client; waits (bounded) for them to end. Idempotent.
     *
     * @throws UnsupportedOperationException on a view: only the client closes its transport
     */
    @Override
    public void close() {
        if (!root) {
            throw new UnsupportedOperationException("a view cannot close the client's transport");
        }
        state.close();
    }
}
