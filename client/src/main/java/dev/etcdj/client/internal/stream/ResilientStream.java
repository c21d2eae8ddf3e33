package dev.etcdj.client.internal.stream;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.internal.SentTracer;
import dev.etcdj.client.internal.Transport;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived bidirectional stream that outlives its connections: opened on the transport's
 * current endpoint, failed over when a new stream stays silent, reopened after a backoff whenever
 * it breaks, stopped on demand. A failure that opening it again would only repeat (the transport
 * decides: see {@link Transport#streamFailed}) ends it for good instead, and its owner tells its
 * listeners. What travels on it is its owner's business, told through a
 * {@link Handler}; the watch and the keep-alive clients and each election observation own one.
 * A server-streaming method (election observe) runs on it too: its one request is sent with
 * {@link #sendLast} when each stream opens.
 *
 * <h2>Locking</h2>
 * All state is guarded by the owner's lock, given to the constructor. Every {@link Handler} method
 * but {@link Handler#clientClosed()} runs under it, and every gRPC call on the stream is made under
 * it, which keeps them serial as gRPC requires. Work a handler must not do under the lock (handing
 * terminal events to listeners) it returns as a {@link Runnable}, run once the lock is released.
 *
 * <h2>Silence</h2>
 * A stream on an endpoint that accepts connections but never answers (a partition, a hung
 * server) does not fail by itself. The owner sends something that is answered at once when a
 * stream opens (a watch create, a lease renewal); a stream with no answer after the first-answer
 * timeout is failed over like a broken one. A stream whose server may rightly stay silent for long
 * (election observe: nothing is said while nobody leads) is given no first-answer timeout (0).
 */
public final class ResilientStream<Q, R> {

    /** How long a new stream may stay silent after its first requests. */
    public static final long FIRST_ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What the owner of a stream does at each step of its life. */
    public interface Handler<R> {

        /** Whether a stream is needed now (there is something to watch or keep alive). */
        boolean wanted();

        /** A new stream was opened: send what it needs. */
        void opened();

        /** A message on the current stream. Returns work to run once the lock is released, or null. */
        Runnable received(R message);

        /**
         * The current stream broke. Unless {@link #wanted()} says otherwise, it is reopened after a
         * backoff, and {@link #opened()} follows.
         */
        void interrupted(EtcdException error);

        /**
         * The current stream failed with an error opening it again would repeat: end what needed it
         * with this error. It is not reopened; a later {@link #start()} tries afresh. Returns work to
         * run once the lock is released, or null.
         */
        Runnable failed(EtcdException error);

        /** The transport was closed before the stream could be reopened. Called without the lock. */
        void clientClosed();
    }

    private final String name;
    private final Transport transport;
    private final MethodDescriptor<Q, R> method;
    private final Object lock;
    private final int readAhead;
    private final long firstAnswerTimeoutNanos;
    private final Executor inbound;
    private final Handler<R> handler;

    // ---- guarded by lock
    private Attempt current;
    private ScheduledFuture<?> reopenTask;
    private int failures;
    private long opened;
    /** When the stream broke (System.nanoTime), while it is being reopened; 0 otherwise. */
    private long brokenAt;
    /** Whether an attempt was answered since the stream was last started: until then an answer opens it. */
    private boolean everAnswered;

    /**
     * @param name what the stream carries ("watch"), for messages
     * @param lock the owner's lock, guarding this stream too
     * @param readAhead 0: gRPC reads as fast as messages come; otherwise the owner asks for each
     *     message with {@link #request(int)}, and a new stream asks for this many at once. More than
     *     one keeps messages coming while the owner handles one: with a single message asked for, each
     *     waits for a round trip between the callback and the network threads.
     */
    public ResilientStream(String name, Transport transport, MethodDescriptor<Q, R> method, Object lock,
                           int readAhead, Handler<R> handler) {
        this(name, transport, method, lock, readAhead, FIRST_ANSWER_TIMEOUT_NANOS, handler);
    }

    /** With another first-answer timeout: 0 for none, where silence says nothing about the endpoint. */
    public ResilientStream(String name, Transport transport, MethodDescriptor<Q, R> method, Object lock,
                           int readAhead, long firstAnswerTimeoutNanos, Handler<R> handler) {
        this(name, transport, method, lock, readAhead, firstAnswerTimeoutNanos, null, handler);
    }

    /**
     * @param inbound where gRPC runs this stream's inbound callbacks (and so {@link Handler#received}):
     *     an executor that hands them to the client's callback executor; null for the channel's own
     *     (the callback executor itself). Never a network thread: handlers run user code after them.
     */
    public ResilientStream(String name, Transport transport, MethodDescriptor<Q, R> method, Object lock,
                           int readAhead, long firstAnswerTimeoutNanos, Executor inbound, Handler<R> handler) {
        if (readAhead < 0 || firstAnswerTimeoutNanos < 0) {
            throw new IllegalArgumentException("readAhead and firstAnswerTimeoutNanos must not be negative: "
                    + readAhead + ", " + firstAnswerTimeoutNanos);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.method = Objects.requireNonNull(method, "method");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.readAhead = readAhead;
        this.firstAnswerTimeoutNanos = firstAnswerTimeoutNanos;
        this.inbound = inbound;
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Opens the stream unless one is open or about to be reopened. Returns whether it opened one
     * now (and so {@link Handler#opened()} has run, or the attempt failed and is being retried).
     */
    public boolean start() {
        synchronized (lock) {
            if (current != null || reopenTask != null) {
                return false;
            }
            open();
            return true;
        }
    }

    /** Closes the stream, and forgets a pending reopen. The next {@link #start()} opens a new one. */
    public void stop(String why) {
        synchronized (lock) {
            brokenAt = 0;   // no longer wanted: the next stream is a new one, not a resumed one
            everAnswered = false;
            if (reopenTask != null) {
                reopenTask.cancel(false);
                reopenTask = null;
            }
            Attempt a = current;
            current = null;
            if (a != null && a.requests != null) {
                a.requests.cancel(why, null);
            }
        }
    }

    /** Sends on the current stream; does nothing while there is none (the next one resends). */
    public void send(Q message) {
        send(message, false);
    }

    /**
     * Sends the last message on the current stream and half-closes it: the one request of a
     * server-streaming method, sent from {@link Handler#opened()}.
     */
    public void sendLast(Q message) {
        send(message, true);
    }

    private void send(Q message, boolean last) {
        synchronized (lock) {
            Attempt a = current;
            if (a == null || a.requests == null) {
                return;
            }
            try {
                a.requests.onNext(message);
                if (last) {
                    a.requests.onCompleted();
                }
            } catch (RuntimeException e) {
                // The call is already over; its onError arrives separately and reopens the stream.
            }
        }
    }

    /** Asks the current stream for more messages (manual flow control only). */
    public void request(int messages) {
        synchronized (lock) {
            Attempt a = current;
            if (a != null && a.requests != null) {
                a.requests.request(messages);
            }
        }
    }

    /** Whether a stream is open now (not necessarily answered yet). */
    public boolean isOpen() {
        synchronized (lock) {
            return current != null;
        }
    }

    /** Whether the current stream has answered at least once. */
    public boolean isAnswered() {
        synchronized (lock) {
            return current != null && current.answered;
        }
    }

    /** How many streams were opened so far; for tests and diagnostics. */
    public long streamsOpened() {
        synchronized (lock) {
            return opened;
        }
    }

    // ---- the stream's life, all under the lock

    private void open() {
        Channel channel = transport.streamChannel();
        Attempt a = new Attempt(channel);
        current = a;
        opened++;
        try {
            CallOptions options = transport.streamCallOptions().withStreamTracerFactory(a.tracer);
            ClientCalls.asyncBidiStreamingCall(channel.newCall(method,
                    inbound == null ? options : options.withExecutor(inbound)), a);
        } catch (RuntimeException e) {
            ended(a, e, false);
            return;
        }
        handler.opened();
        if (firstAnswerTimeoutNanos == 0) {
            return;
        }
        transport.scheduler().schedule(() -> ended(a, Status.UNAVAILABLE.withDescription("etcdj: no answer from "
                        + channel.authority() + " on a new " + name + " stream within "
                        + TimeUnit.NANOSECONDS.toMillis(firstAnswerTimeoutNanos) + " ms").asRuntimeException(), true),
                firstAnswerTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void received(Attempt a, R message) {
        Runnable after;
        synchronized (lock) {
            if (a != current) {
                return;     // an old stream we already replaced or stopped
            }
            failures = 0;
            if (!a.answered) {
                a.answered = true;
                String endpoint = transport.endpointOf(a.channel);
                if (brokenAt != 0 && everAnswered) {
                    transport.events().streamResumed(name, endpoint, System.nanoTime() - brokenAt);
                } else {
                    // Also when earlier attempts got no answer (a slow first connection): the
                    // stream opens now, it does not resume.
                    transport.events().streamOpened(name, endpoint);
                }
                brokenAt = 0;
                everAnswered = true;
            }
            after = handler.received(message);
        }
        if (after != null) {
            after.run();
        }
    }

    /**
     * The attempt failed (or, with {@code onlyIfSilent}, its first-answer timeout passed): reopen
     * after a backoff while the stream is wanted, or end for good when the failure is permanent.
     */
    private void ended(Attempt a, Throwable error, boolean onlyIfSilent) {
        Runnable after;
        synchronized (lock) {
            if (a != current || (onlyIfSilent && a.answered)) {
                return;     // an old stream, or one that answered in time
            }
            current = null;
            if (onlyIfSilent) {
                a.requests.cancel("no answer", null);
            }
            Transport.StreamFailure failure = transport.streamFailed(a.channel, error, a.tracer.sent());
            if (a.answered || brokenAt == 0) {
                // Once per break: the attempts that fail while reopening are part of it.
                transport.events().streamBroken(name, transport.endpointOf(a.channel), failure.error(),
                        failure.permanent());
            }
            brokenAt = failure.permanent() ? 0 : brokenAt != 0 ? brokenAt : System.nanoTime();
            if (failure.permanent()) {
                failures = 0;
                after = handler.failed(failure.error());
            } else {
                after = null;
                handler.interrupted(failure.error());
                if (handler.wanted()) {
                    long delay = transport.backoff(failures++).toNanos();
                    try {
                        reopenTask = transport.scheduler().schedule(this::reopen, delay, TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException closing) {
                        after = handler::clientClosed;  // the client's timers are shut down: it is closing
                    }
                }
            }
        }
        if (after != null) {
            after.run();
        }
    }

    private void reopen() {
        synchronized (lock) {
            reopenTask = null;
            if (current != null || !handler.wanted()) {
                return;
            }
            if (!transport.isClosed()) {
                open();
                return;
            }
        }
        handler.clientClosed();
    }

    /** One gRPC call: the stream between two failures. */
    private final class Attempt implements ClientResponseObserver<Q, R> {
        final Channel channel;
        ClientCallStreamObserver<Q> requests;
        boolean answered;   // guarded by lock
        /** Whether gRPC put the call on an established connection: until then a failure is one of connecting. */
        final SentTracer tracer = new SentTracer();

        Attempt(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
            requests = requestStream;
            if (readAhead > 0) {
                requestStream.disableAutoRequestWithInitial(readAhead);
            }
        }

        @Override
        public void onNext(R value) {
            received(this, value);
        }

        @Override
        public void onError(Throwable t) {
            ended(this, t, false);
        }

        @Override
        public void onCompleted() {
            // As a failure the transport understands (UNAVAILABLE), so it fails over.
            ended(this, Status.UNAVAILABLE.withDescription("etcdj: the server ended the " + name + " stream")
                    .asRuntimeException(), false);
        }
    }
}
