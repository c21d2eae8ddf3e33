package dev.etcdj.client.internal;

import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.ClientConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the client's {@link GrpcTransport} and all its views share: the channels
 * ({@link EndpointChannels}), the threads ({@link ClientThreads}), the auth token
 * ({@link TokenCredentials}), the unary calls running and what streams learnt about the endpoints.
 * One per client; closing it shuts all of it down in the right order.
 */
final class TransportState {

    final ClientConfig config;
    final ClientEvents events;
    final ClientThreads threads;
    final EndpointChannels channels;
    final ConnectionStates connectionStates;
    /** The call credentials, or null without a user. */
    final TokenCredentials credentials;
    /** The unary calls not yet complete, failed when the client closes. */
    final Set<RetryingCall<?>> running = ConcurrentHashMap.newKeySet();
    /** Per endpoint, why the latest stream on it could not connect; absent when it did. Guarded by itself. */
    final Map<EndpointChannels.Slot, ConnectFailure> streamFailures = new HashMap<>();
    /** The endpoint the latest stream failed on as unavailable, until a stream opens elsewhere: for the switch event. */
    volatile EndpointChannels.Slot streamFailedOn;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * The options every unary attempt starts from: the auth token, and gRPC's listener run right
     * on the thread that got the response (the event loop), which only decodes it and hands the
     * result to the callback pool ({@link RetryingCall}). With gRPC's own executor instead, the
     * headers, message and trailers of one response could each wake a pool thread.
     */
    final CallOptions unaryCallOptions;
    /** The options every stream starts from: no deadline, the auth token. */
    final CallOptions streamCallOptions;

    TransportState(ClientConfig config) {
        this.config = config;
        this.events = new ClientEvents(config.eventListeners());
        this.threads = new ClientThreads(config.networkSpin().toNanos());
        this.channels = new EndpointChannels(config, threads, events);
        this.connectionStates = new ConnectionStates(channels, threads, config.requestTimeout(),
                config.connectionStateListeners());
        this.credentials = config.user().isPresent() ? new TokenCredentials(this, config) : null;
        CallOptions o = CallOptions.DEFAULT.withExecutor(MoreExecutors.directExecutor());
        this.unaryCallOptions = credentials == null ? o : o.withCallCredentials(credentials);
        this.streamCallOptions = credentials == null ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withCallCredentials(credentials);
    }

    boolean isClosed() {
        return closed.get();
    }

    /** The channel of the endpoint the selector chooses now, for calls that must bypass the call credentials. */
    Channel anyChannel() {
        EndpointChannels.Slot slot = channels.pick();
        channels.connect(slot);
        return slot.call;
    }

    /** Stops every call, channel and thread; waits (bounded) for them to end. Idempotent. */
    void close() {
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
