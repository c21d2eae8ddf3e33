package dev.etcdj.client.internal;

import dev.etcdj.client.EtcdException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every part of the client shares: connections to the endpoints, the policy for picking one
 * and failing over, auth tokens, deadlines, threads, and the mapping of gRPC failures to typed
 * errors. One per client.
 */
public interface Transport {

    /**
     * Runs a unary call with the client's default deadline (or {@code timeout} when not null),
     * retrying on another endpoint when that is safe: always for a read ({@code idempotent}), and
     * for a write only when it surely never reached a server. The call gets the auth token and the
     * deadline through its {@link CallOptions}. The returned future fails with an
     * {@link EtcdException}; cancelling it cancels the gRPC call.
     */
    <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call);

    /**
     * Like {@link #unary} but on the one endpoint named, no failover: one of the client's, or any
     * other, which gets a channel of its own. Fails with InvalidEndpointException when it does not parse.
     */
    <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call);

    /** The channel long-lived streams (watch, keep-alive) should open on now; changes after failures. */
    Channel streamChannel();

    /**
     * Call options for a stream: no deadline, the auth token. Not wait-for-ready: a stream opened
     * while its endpoint cannot be reached fails with the reason (refused, TLS, ...), and its owner
     * opens it again after a backoff.
     */
    CallOptions streamCallOptions();

    /**
     * A stream opened on {@code channel} failed. The transport fails over when another endpoint may
     * do better, drops a token the failure says is stale, and tells what the failure means for the
     * stream.
     *
     * @param sent whether the stream got onto an established connection (so it may have reached a
     *     server); until then its failure is one of connecting
     */
    StreamFailure streamFailed(Channel channel, Throwable error, boolean sent);

    /**
     * A failed stream's error as its listeners would hear it, and whether it is permanent: opening
     * the stream again would fail the same way (no permission, bad credentials, a message too
     * large, an untrusted certificate), so its listeners should hear it instead of it being
     * retried.
     */
    record StreamFailure(EtcdException error, boolean permanent) {}

    /** The endpoints in use now: as given to the builder until set anew or synced from the member list. */
    List<String> endpoints();

    /** Maps any failure (gRPC status, cancellation, timeout) to the client's typed exception. */
    EtcdException toEtcdException(Throwable error);

    /** Timers for renewals, retries and backoff. Daemon threads. */
    ScheduledExecutorService scheduler();

    /** Where user callbacks (watch and keep-alive listeners) run: never a network thread. */
    Executor callbackExecutor();

    /** Backoff before the given (0-based) retry attempt, from the client's retry settings. */
    Duration backoff(int attempt);

    boolean isClosed();

    /** Where the client's parts report events (to the user's listeners and the log). */
    default ClientEvents events() {
        return ClientEvents.NONE;
    }

    /** The endpoint (as given to the builder) a channel of {@link #streamChannel()} leads to. */
    default String endpointOf(Channel channel) {
        return channel.authority();
    }

    /**
     * The deadline of a unary call that names none: the client's request timeout, or the one of
     * the {@link #withTimeout} view this is.
     */
    Duration requestTimeout();

    /** What the view this is changes about its calls; {@link CallSettings#NONE} on the client's transport. */
    default CallSettings settings() {
        return CallSettings.NONE;
    }

    /**
     * This transport under other call settings (replacing this view's, if it is one): the same
     * transport over the same connections, threads and state, whose unary calls default to the
     * settings' deadline and whose calls (unary or stream) carry their requireLeader.
     */
    Transport view(CallSettings settings);

    /**
     * This transport with another default deadline for unary calls: the transport of every
     * service's {@code withTimeout} view.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    default Transport withTimeout(Duration timeout) {
        return view(settings().withTimeout(timeout));
    }

    /** This transport with every call sent with {@code hasleader}: the transport of every {@code withRequireLeader} view. */
    default Transport withRequireLeader() {
        return settings().requireLeader() ? this : view(settings().withRequireLeader());
    }

    /** A unary gRPC call: given a channel and options, start it and return its future. */
    @FunctionalInterface
    interface UnaryCall<T> {
        com.google.common.util.concurrent.ListenableFuture<T> start(Channel channel, CallOptions options);

        /** The call of {@code method} with {@code request}, straight on the channel: no stub object per call. */
        static <Q, P> UnaryCall<P> of(io.grpc.MethodDescriptor<Q, P> method, Q request) {
            return (channel, options) -> io.grpc.stub.ClientCalls.futureUnaryCall(channel.newCall(method, options),
                    request);
        }
    }
}
