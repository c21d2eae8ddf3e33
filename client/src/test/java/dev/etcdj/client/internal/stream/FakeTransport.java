package dev.etcdj.client.internal.stream;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.internal.Errors;
import dev.etcdj.client.internal.Transport;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Transport} without a network, for stream tests: each endpoint is a channel whose calls
 * the test drives by hand (answer, fail, complete). Listener callbacks arrive on one "network"
 * thread, as gRPC delivers them off the caller's thread. Stream failures move to the next endpoint.
 * Public for the tests of the streams' owners in other packages.
 */
public final class FakeTransport implements Transport, AutoCloseable {

    final List<FakeChannel> channels = new ArrayList<>();
    /** Every call started on any endpoint, in the order the streams' threads started them. */
    private final BlockingQueue<FakeCall> opened = new LinkedBlockingQueue<>();
    final List<Integer> backoffAttempts = new CopyOnWriteArrayList<>();
    final List<Throwable> reported = new CopyOnWriteArrayList<>();
    final List<Boolean> reportedSent = new CopyOnWriteArrayList<>();
    private final AtomicInteger current = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService network = Executors.newSingleThreadExecutor();
    private volatile boolean closed;
    volatile long backoffMillis = 1;
    /** Stream events (opened, broken, resumed) as "streamOpened test" etc. */
    public final List<String> streamEvents = new CopyOnWriteArrayList<>();
    private final dev.etcdj.client.internal.ClientEvents events = new dev.etcdj.client.internal.ClientEvents(
            List.of(new dev.etcdj.client.EventListener() {
                @Override
                public void streamOpened(String stream, String endpoint) {
                    streamEvents.add("streamOpened " + stream);
                }

                @Override
                public void streamBroken(String stream, String endpoint, dev.etcdj.client.EtcdException cause,
                                         boolean permanent) {
                    streamEvents.add("streamBroken " + stream);
                }

                @Override
                public void streamResumed(String stream, String endpoint, java.time.Duration downtime) {
                    streamEvents.add("streamResumed " + stream);
                }
            }));

    public FakeTransport(int endpoints) {
        for (int i = 0; i < endpoints; i++) {
            channels.add(new FakeChannel("fake-" + i));
        }
    }

    @Override
    public dev.etcdj.client.internal.ClientEvents events() {
        return events;
    }

    /** The next call opened on any endpoint, waiting up to a few seconds for it. */
    public FakeCall nextCall() throws InterruptedException {
        FakeCall c = opened.poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no call was opened");
        }
        return c;
    }

    /** Whether a call is opened within {@code millis}; consumes it. */
    public boolean callOpenedWithin(long millis) throws InterruptedException {
        return opened.poll(millis, TimeUnit.MILLISECONDS) != null;
    }

    public void closeTransport() {
        closed = true;
    }

    /** The client's timers are shut down (as when it is closing); the network still delivers. */
    void shutDownTimers() {
        scheduler.shutdownNow();
    }

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        throw new UnsupportedOperationException("streams only");
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        throw new UnsupportedOperationException("streams only");
    }

    /** The streams under test run on the client's transport itself; none of them asks for a view. */
    @Override
    public Transport view(dev.etcdj.client.internal.CallSettings settings) {
        throw new UnsupportedOperationException("streams only");
    }

    @Override
    public Channel streamChannel() {
        return channels.get(current.get() % channels.size());
    }

    @Override
    public CallOptions streamCallOptions() {
        return CallOptions.DEFAULT;
    }

    /** Fails over on every failure; permanent as the client's transport decides for a status. */
    @Override
    public StreamFailure streamFailed(Channel channel, Throwable error, boolean sent) {
        reported.add(error);
        reportedSent.add(sent);
        int i = channels.indexOf(channel);
        current.compareAndSet(i, i + 1);
        return new StreamFailure(Errors.toEtcdException(error), Errors.haltsStream(error));
    }

    @Override
    public List<String> endpoints() {
        return channels.stream().map(FakeChannel::authority).toList();
    }

    @Override
    public EtcdException toEtcdException(Throwable error) {
        return Errors.toEtcdException(error);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public java.util.concurrent.Executor callbackExecutor() {
        return Runnable::run;
    }

    @Override
    public Duration backoff(int attempt) {
        backoffAttempts.add(attempt);
        return Duration.ofMillis(backoffMillis);
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
        scheduler.shutdownNow();
        network.shutdownNow();
    }

    final class FakeChannel extends Channel {
        final String name;

        FakeChannel(String name) {
            this.name = name;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return (ClientCall<Q, R>) new FakeCall(this, options);
        }

        @Override
        public String authority() {
            return name;
        }
    }

    /** One call, driven by the test; typed loosely since the tests use one message type each way. */
    public final class FakeCall extends ClientCall<Object, Object> {
        final FakeChannel channel;
        final CallOptions options;
        public final BlockingQueue<Object> sent = new LinkedBlockingQueue<>();
        final AtomicInteger requested = new AtomicInteger();
        public final CompletableFuture<String> cancelled = new CompletableFuture<>();
        private volatile Listener<Object> listener;
        private volatile boolean over;
        /** Whether the client said it sends nothing more. */
        public volatile boolean halfClosed;

        FakeCall(FakeChannel channel, CallOptions options) {
            this.channel = channel;
            this.options = options;
        }

        /** The call gets onto an established connection, as gRPC tells its stream tracers. */
        void connected() {
            ClientStreamTracer.StreamInfo info =
                    ClientStreamTracer.StreamInfo.newBuilder().setCallOptions(options).build();
            for (ClientStreamTracer.Factory f : options.getStreamTracerFactories()) {
                f.newClientStreamTracer(info, new Metadata()).streamCreated(Attributes.EMPTY, new Metadata());
            }
        }

        @Override
        public void start(Listener<Object> responseListener, Metadata headers) {
            listener = responseListener;
            opened.add(this); // only now: a test that answers or closes it needs the listener
        }

        @Override
        public void request(int numMessages) {
            requested.addAndGet(numMessages);
        }

        @Override
        public void cancel(String message, Throwable cause) {
            cancelled.complete(message);
            close(Status.CANCELLED.withDescription(message));
        }

        @Override
        public void halfClose() {
            halfClosed = true;
        }

        @Override
        public void sendMessage(Object message) {
            if (over) {
                throw new IllegalStateException("call is over");
            }
            sent.add(message);
        }

        /** The server sends a message. */
        public void answer(Object message) {
            network.execute(() -> listener.onMessage(message));
        }

        /** The call ends with this status (OK: the server completed the stream). */
        public void close(Status status) {
            over = true;
            network.execute(() -> listener.onClose(status, new Metadata()));
        }

        /** Waits until everything handed to the network thread so far was delivered. */
        public void settle() throws Exception {
            network.submit(() -> { }).get(5, TimeUnit.SECONDS);
        }
    }
}
