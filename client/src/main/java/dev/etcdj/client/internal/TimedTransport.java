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
 * A transport whose unary calls default to another deadline: what every service's
 * {@code withTimeout} view runs on, so that the views of all six services mean the same thing and
 * check their argument the same way. Everything else is the underlying transport's.
 */
final class TimedTransport implements Transport {

    private final Transport transport;
    private final Duration timeout;

    TimedTransport(Transport transport, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.transport = transport;
        this.timeout = timeout;
    }

    private Duration or(Duration explicit) {
        return explicit == null ? timeout : explicit;
    }

    @Override
    public Duration requestTimeout() {
        return timeout;
    }

    @Override
    public Transport withTimeout(Duration timeout) {
        return new TimedTransport(transport, timeout);
    }

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return transport.unary(or(timeout), idempotent, call);
    }

    @Override
    public <T> CompletableFuture<T> unaryForWaiter(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return transport.unaryForWaiter(or(timeout), idempotent, call);
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        return transport.unaryOn(endpoint, or(timeout), call);
    }

    @Override
    public Channel streamChannel() {
        return transport.streamChannel();
    }

    @Override
    public CallOptions streamCallOptions() {
        return transport.streamCallOptions();
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
