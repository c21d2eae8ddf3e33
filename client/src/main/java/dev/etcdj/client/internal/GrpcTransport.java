package dev.etcdj.client.internal;

import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import dev.etcdj.client.InvalidEndpointException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The gRPC {@link Transport}: ties together the channels ({@link EndpointChannels}), the threads
 * ({@link ClientThreads}), the retry state machine of unary calls ({@link RetryingCall}) and the
 * auth token ({@link TokenCredentials}); decides what a failed stream means; and shuts all of it
 * down in the right order.
 */
public final class GrpcTransport implements Transport, AutoCloseable {

    /** How far a backoff varies around its nominal value, either way: Go's 10 %. */
    static final double JITTER_FRACTION = 0.10;

    static final Metadata.Key<String> TOKEN_KEY = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private final ClientConfig config;
    private final ClientEvents events;
    private final ClientThreads threads;
    private final EndpointChannels channels;
    private final ConnectionStates connectionStates;
    private final TokenCredentials credentials;
    private final Set<RetryingCall<?>> running = ConcurrentHashMap.newKeySet();
    /** Per endpoint, why the latest stream on it could not connect; absent when it did. Guarded by itself. */
    private final Map<EndpointChannels.Slot, ConnectFailure> streamFailures = new HashMap<>();
    /** The endpoint the latest stream failed on as unavailable, until a stream opens elsewhere: for the switch event. */
    private volatile EndpointChannels.Slot streamFailedOn;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What every unary attempt's options start from: see {@link #unaryCallOptions}. */
    private final CallOptions unaryCallOptions;

    public GrpcTransport(ClientConfig config) {
        this.config = config;
        this.events = new ClientEvents(config.eventListeners());
        this.threads = new ClientThreads();
        this.channels = new EndpointChannels(config, threads, events);
        this.connectionStates = new ConnectionStates(channels, threads, config.requestTimeout(),
                config.connectionStateListeners());
        this.credentials = config.user().isPresent() ? new TokenCredentials(this, config) : null;
        CallOptions o = CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor());
        this.unaryCallOptions = credentials == null ? o : o.withCallCredentials(credentials);
    }

    /**
     * The options every unary attempt starts from: the auth token, and gRPC's listener run right
     * on the thread that got the response (the event loop), which only decodes it and hands the
     * result to the callback pool ({@link RetryingCall}). With gRPC's own executor instead, the
     * headers, message and trailers of one response could each wake a pool thread.
     */
    CallOptions unaryCallOptions() {
        return unaryCallOptions;
    }

    // ---- unary calls

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return start(null, timeout, idempotent, config.completeOnNetworkThreads(), call);
    }

    @Override
    public <T> CompletableFuture<T> unaryForWaiter(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return start(null, timeout, idempotent, true, call);
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        EndpointChannels.Slot slot;
        try {
            slot = channels.named(endpoint);
        } catch (InvalidEndpointException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IllegalStateException closing) {
            return CompletableFuture.failedFuture(new ClientClosedException());
        }
        // Retried only while it surely reached no server: callers use this for calls that must
        // not run twice against one member (a snapshot already half written to the caller's stream).
        return start(slot, timeout, false, config.completeOnNetworkThreads(), call);
    }

    private <T> CompletableFuture<T> start(EndpointChannels.Slot fixedEndpoint, Duration timeout, boolean idempotent, boolean direct,
            UnaryCall<T> call) {
        Duration t = timeout == null ? config.requestTimeout() : timeout;
        RetryingCall<T> c = new RetryingCall<>(this, call, idempotent, fixedEndpoint, t.toNanos(), direct);
        if (closed.get()) {
            c.completeExceptionally(new ClientClosedException());
            return c;
        }
        running.add(c);
        c.whenComplete((v, e) -> {
            running.remove(c);
            c.ended(e);
        });
        if (closed.get()) {
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
        EndpointChannels.Slot slot = channels.pick();
        EndpointChannels.Slot failedOn = streamFailedOn;
        if (failedOn != null && failedOn != slot) {
            streamFailedOn = null;
            events.endpointSwitch(failedOn.text, slot.text);
        }
        channels.connect(slot);
        return slot.call;
    }

    @Override
    public CallOptions streamCallOptions() {
        return credentials == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withCallCredentials(credentials);
    }

    @Override
    public StreamFailure streamFailed(Channel channel, Throwable error, boolean sent) {
        EtcdError etcdError = Errors.etcdError(error);
        if (credentials != null && needsNewToken(etcdError)) {
            credentials.invalidate();
        }
        EndpointChannels.Slot slot = channels.slotOf(channel);
        Status status = Errors.statusOf(error);
        // Not refused by something of ours (credentials) but by the endpoint or the way to it.
        boolean unreachable = slot != null && Errors.isUnavailable(status)
                && !(status.getCause() instanceof EtcdException);
        ConnectFailure failure = unreachable ? ConnectFailure.of(error, slot.text, slot.tls,
                channels.clientCertificate(), sent) : null;
        // A diagnosed failure, or one before the stream ever got onto a connection: a failure to connect.
        boolean connecting = failure != null || (unreachable && !sent);
        boolean permanent = false;
        EtcdException mapped = null;
        if (slot != null) {
            synchronized (streamFailures) {
                if (failure != null) {
                    streamFailures.put(slot, failure);
                } else if (sent) {
                    // A stream that got onto a connection clears the endpoint's diagnosis.
                    streamFailures.remove(slot);
                }
                ConnectFailure known = connecting ? streamFailures.get(slot) : null;
                List<EndpointChannels.Slot> inUse = channels.slots();
                if (failure != null && failure.certificate() && ConnectFailure.everyOnACertificate(inUse, streamFailures)) {
                    // In the words a unary call uses, with every endpoint's reason.
                    permanent = true;
                    mapped = ConnectFailure.couldNotConnect(channels.endpoints(), "", inUse.stream()
                            .map(s -> streamFailures.get(s).message()).collect(Collectors.joining("; ")),
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
            channels.failed(slot);
            streamFailedOn = slot;
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
        return channels.endpoints();
    }

    /**
     * Uses these endpoints from now on (see {@link EndpointChannels#setEndpoints}); streams on a
     * dropped one are moved within the request timeout.
     *
     * @return whether they changed
     */
    public boolean setEndpoints(List<String> endpoints) {
        return channels.setEndpoints(endpoints, config.requestTimeout().toNanos());
    }

    @Override
    public EtcdException toEtcdException(Throwable error) {
        return Errors.toEtcdException(error);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return threads.scheduler();
    }

    @Override
    public Executor callbackExecutor() {
        return threads.callExecutor();
    }

    @Override
    public Duration backoff(int attempt) {
        long base = config.retryBackoff().toNanos();
        long max = config.retryMaxBackoff().toNanos();
        int shift = Math.max(0, Math.min(attempt, 30));
        long d = base << shift;
        d = d <= 0 || d > max ? max : d;
        // Jitter, as Go's retry interceptor: clients that failed together do not retry in lock-step.
        double jitter = 1 + JITTER_FRACTION * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofNanos((long) (d * jitter));
    }

    @Override
    public ClientEvents events() {
        return events;
    }

    @Override
    public String endpointOf(Channel channel) {
        EndpointChannels.Slot slot = channels.slotOf(channel);
        return slot != null ? slot.text : channel.authority();
    }

    /** Starts telling the connection state listeners about {@code client}'s connection. */
    void followConnections(EtcdClient client) {
        connectionStates.start(client);
    }

    @Override
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    ClientConfig config() {
        return config;
    }

    EndpointChannels channels() {
        return channels;
    }

    ClientThreads threads() {
        return threads;
    }

    /** The channel of the endpoint the selector chooses now, for calls that must bypass the call credentials. */
    Channel anyChannel() {
        EndpointChannels.Slot slot = channels.pick();
        channels.connect(slot);
        return slot.call;
    }

    /** The call credentials, or null without a user. */
    TokenCredentials credentials() {
        return credentials;
    }


    /** Stops every call, channel and thread; waits (bounded) for them to end. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connectionStates.close();
        for (RetryingCall<?> c : running) {
            c.completeExceptionally(new ClientClosedException());
        }
        channels.shutdownNow();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            channels.awaitTermination(deadline);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        interrupted = threads.shutdown(deadline, interrupted);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
