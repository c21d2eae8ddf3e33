package dev.etcdj.client.internal.watch;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.internal.Errors;
import dev.etcdj.client.internal.Transport;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small {@link Transport} for the stream tests: plaintext channels to the given endpoints, one
 * used at a time, moving to the next on a reported stream failure. It maps errors only as far as
 * these tests need, and takes the client's rule for which stream failures are permanent; the
 * client's real transport does the rest (connect failures, tokens). Its streams wait for their
 * connection (wait-for-ready), so a server restart needs no reconnect pacing here.
 */
public final class TestTransport implements Transport, AutoCloseable {

    private final List<String> endpoints;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, daemon("test-scheduler"));
    private final ExecutorService callbacks = Executors.newFixedThreadPool(4, daemon("test-callbacks"));
    private volatile boolean closed;

    public TestTransport(String... endpoints) {
        this.endpoints = List.of(endpoints);
        for (String e : endpoints) {
            URI uri = URI.create(e);
            channels.add(ManagedChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext()
                    .maxInboundMessageSize(Integer.MAX_VALUE)    // as the client's default: catch-ups can be large
                    .keepAliveTime(10, TimeUnit.SECONDS).build());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The channel unary test helpers (puts, compactions) use. */
    public ManagedChannel channel() {
        return channels.get(Math.floorMod(current.get(), channels.size()));
    }

    /** Stream failures reported so far. */
    public int failures() {
        return failures.get();
    }

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return unaryOn(null, timeout, call);
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        Channel ch = endpoint == null ? channel() : channels.get(endpoints.indexOf(endpoint));
        Duration t = timeout == null ? Duration.ofSeconds(10) : timeout;
        CompletableFuture<T> out = new CompletableFuture<>();
        ListenableFuture<T> f = call.start(ch, CallOptions.DEFAULT.withDeadlineAfter(t.toNanos(), TimeUnit.NANOSECONDS));
        Futures.addCallback(f, new FutureCallback<>() {
            @Override
            public void onSuccess(T result) {
                out.complete(result);
            }

            @Override
            public void onFailure(Throwable e) {
                out.completeExceptionally(toEtcdException(e));
            }
        }, MoreExecutors.directExecutor());
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                f.cancel(true);
            }
        });
        return out;
    }

    @Override
    public Channel streamChannel() {
        return channel();
    }

    @Override
    public CallOptions streamCallOptions() {
        return CallOptions.DEFAULT.withWaitForReady();
    }

    @Override
    public StreamFailure streamFailed(Channel channel, Throwable error, boolean sent) {
        failures.incrementAndGet();
        current.compareAndSet(channels.indexOf(channel), channels.indexOf(channel) + 1);
        return new StreamFailure(toEtcdException(error), Errors.haltsStream(error));
    }

    @Override
    public List<String> endpoints() {
        return endpoints;
    }

    @Override
    public EtcdException toEtcdException(Throwable error) {
        if (error instanceof EtcdException e) {
            return e;
        }
        Status s = error instanceof StatusRuntimeException sre ? sre.getStatus() : Status.fromThrowable(error);
        EtcdError known = EtcdError.fromMessage(s.getDescription());
        if (known == EtcdError.LEASE_NOT_FOUND) {
            return new LeaseNotFoundException(known.message(), 0, error);
        }
        if (known == EtcdError.COMPACTED) {
            return new CompactedException(known.message(), 0, error);
        }
        if (known != EtcdError.UNKNOWN) {
            return new EtcdException(known, error);
        }
        return new EtcdException(EtcdException.Code.valueOf(s.getCode().name()), String.valueOf(s.getDescription()), error);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public java.util.concurrent.Executor callbackExecutor() {
        return callbacks;
    }

    @Override
    public Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(1000, 25L << Math.min(attempt, 6)));
    }

    @Override
    public Duration requestTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        channels.forEach(ManagedChannel::shutdownNow);
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }
}
