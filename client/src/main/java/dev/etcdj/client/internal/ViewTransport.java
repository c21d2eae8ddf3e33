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
 * The transport of a service view: its unary calls default to the view's deadline, and every call
 * (unary or stream) carries the view's requireLeader; what every service's {@code withTimeout} and
 * {@code withRequireLeader} view runs on, so that the views of all services mean the same thing and
 * compose. Everything else is the client's transport's.
 */
final class ViewTransport implements Transport {

    private final Transport transport;
    private final CallSettings settings;

    ViewTransport(Transport transport, CallSettings settings) {
        this.transport = transport;
        this.settings = settings;
    }

    private Duration or(Duration explicit) {
        return explicit == null && settings.timeout() != null ? settings.timeout() : explicit;
    }

    private <T> UnaryCall<T> apply(UnaryCall<T> call) {
        return settings.requireLeader() ? (channel, options) -> call.start(channel, settings.apply(options)) : call;
    }

    @Override
    public CallSettings settings() {
        return settings;
    }

    @Override
    public Duration requestTimeout() {
        return settings.timeout() != null ? settings.timeout() : transport.requestTimeout();
    }

    @Override
    public Transport view(CallSettings settings) {
        return new ViewTransport(transport, settings);
    }

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return transport.unary(or(timeout), idempotent, apply(call));
    }

    @Override
    public <T> CompletableFuture<T> unaryForWaiter(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return transport.unaryForWaiter(or(timeout), idempotent, apply(call));
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        return transport.unaryOn(endpoint, or(timeout), apply(call));
    }

    @Override
    public Channel streamChannel() {
        return transport.streamChannel();
    }

    @Override
    public CallOptions streamCallOptions() {
        return settings.apply(transport.streamCallOptions());
    }

    @Override
    public StreamFailure streamFailed(Channel channel, Throwable error, boolean sent) {
        return transport.streamFailed(channel, error, sent);
    }

    @Override
    public List<String> endpoints() {
        return transport.endpoints();
    }

    @Override
    public EtcdException toEtcdException(Throwable error) {
        return transport.toEtcdException(error);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return transport.scheduler();
    }

    @Override
    public Executor callbackExecutor() {
        return transport.callbackExecutor();
    }

    @Override
    public Duration backoff(int attempt) {
        return transport.backoff(attempt);
    }

    @Override
    public ClientEvents events() {
        return transport.events();
    }

    @Override
    public String endpointOf(Channel channel) {
        return transport.endpointOf(channel);
    }

    @Override
    public boolean isClosed() {
        return transport.isClosed();
    }
}
