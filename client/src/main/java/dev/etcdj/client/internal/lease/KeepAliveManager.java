package dev.etcdj.client.internal.lease;

import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every keep-alive of one client, over ONE bidirectional LeaseKeepAlive stream.
 *
 * <p>Each kept-alive lease has one {@link LeaseState} however many handles share it: one timer
 * renews it at a third of its TTL, and every handle hears every renewal. The stream is opened
 * when the first lease is added and closed when the last one goes. When it fails it is reopened
 * on the transport's current endpoint after a backoff, forever, and every lease is renewed at once
 * on the new stream. A lease that cannot be renewed before its deadline ends with
 * {@code onError}; an answer with TTL 0 ends it with {@code onExpired}; closing the handle or the
 * client ends it with {@code onClosed}. Each handle hears exactly one of them.
 *
 * <p>All state is guarded by {@link #lock}; gRPC calls on the stream are made under it too, which
 * keeps them serial as gRPC requires. Listener calls never happen under the lock: they go through
 * the lease's {@link SerialExecutor} on the client's callback executor.
 */
final class KeepAliveManager implements AutoCloseable {

    /** How long a new stream may stay silent after its first requests. */
    static final long FIRST_ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Transport transport;
    private final Object lock = new Object();
    private final Map<Long, LeaseState> leases = new HashMap<>();
    private Stream stream;
    private ScheduledFuture<?> reopenTask;
    private int failures;
    private EtcdException lastStreamError;
    private boolean closed;

    KeepAliveManager(Transport transport) {
        this.transport = transport;
    }

    KeepAlive keepAlive(long leaseId, KeepAliveListener listener) {
        synchronized (lock) {
            if (closed || transport.isClosed()) {
                Handle h = new Handle(new LeaseState(leaseId, System.nanoTime()), listener);
                h.terminate(KeepAliveListener::onClosed);
                return h;
            }
            LeaseState state = leases.get(leaseId);
            boolean fresh = state == null;
            if (fresh) {
                state = new LeaseState(leaseId, System.nanoTime());
                leases.put(leaseId, state);
            }
            Handle handle = new Handle(state, listener);
            state.handles.add(handle);
            if (fresh) {
                if (stream == null && reopenTask == null) {
                    openStream();       // sends for every lease, this one included
                } else {
                    renewNow(state);
                }
            }
            return handle;
        }
    }

    /** Number of leases being kept alive; for tests and diagnostics. */
    int leaseCount() {
        synchronized (lock) {
            return leases.size();
        }
    }

    @Override
    public void close() {
        List<LeaseState> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(leases.values());
            leases.clear();
            stopStream("client closed");
        }
        for (LeaseState state : all) {
            end(state, KeepAliveListener::onClosed);
        }
    }

    // ---- the stream

    private void openStream() {
        Channel channel = transport.streamChannel();
        Stream s = new Stream(channel);
        stream = s;
        try {
            ClientCalls.asyncBidiStreamingCall(
                    channel.newCall(LeaseGrpc.getLeaseKeepAliveMethod(), transport.streamCallOptions()), s);
        } catch (RuntimeException e) {
            streamEnded(s, e);
            return;
        }
        long now = System.nanoTime();
        for (LeaseState state : leases.values()) {
            send(state, now);
            reschedule(state);
        }
        // Streams wait for their connection: one parked on an endpoint that is gone never fails by
        // itself. Every lease was just sent, so silence means that; fail over as for a broken stream.
        transport.scheduler().schedule(() -> {
            synchronized (lock) {
                if (s == stream && !s.answered) {
                    streamEnded(s, Status.UNAVAILABLE.withDescription("etcdj: no answer on a new keep-alive stream")
                            .asRuntimeException());
                    s.requests.cancel("no answer", null);
                }
            }
        }, FIRST_ANSWER_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
    }

    private void stopStream(String why) {
        if (reopenTask != null) {
            reopenTask.cancel(false);
            reopenTask = null;
        }
        Stream s = stream;
        stream = null;
        if (s != null && s.requests != null) {
            s.requests.cancel(why, null);
        }
    }

    private void streamEnded(Stream s, Throwable error) {
        synchronized (lock) {
            if (s != stream) {
                return;     // an old stream we already replaced or stopped
            }
            stream = null;
            lastStreamError = transport.toEtcdException(error);
            transport.reportFailure(s.channel, error);
            if (closed || leases.isEmpty()) {
                return;
            }
            long delay = transport.backoff(failures++).toNanos();
            reopenTask = transport.scheduler().schedule(this::reopen, delay, TimeUnit.NANOSECONDS);
            // While the stream is down the timers only watch the deadlines.
            for (LeaseState state : leases.values()) {
                reschedule(state);
            }
        }
    }

    private void reopen() {
        synchronized (lock) {
            reopenTask = null;
            if (closed || stream != null || leases.isEmpty()) {
                return;
            }
            if (transport.isClosed()) {
                closeAllOnClientClose();
                return;
            }
            openStream();
        }
    }

    private void closeAllOnClientClose() {
        List<LeaseState> all = new ArrayList<>(leases.values());
        leases.clear();
        closed = true;
        for (LeaseState state : all) {
            end(state, KeepAliveListener::onClosed);
        }
    }

    private void answered(Stream s, dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse response) {
        LeaseState state;
        synchronized (lock) {
            if (s != stream) {
                return;
            }
            failures = 0;
            s.answered = true;
            state = leases.get(response.getID());
            if (state == null) {
                return;     // closed meanwhile, or an answer to a duplicate request
            }
            if (response.getTTL() <= 0) {
                leases.remove(state.id);
                stopIfIdle();
                // fall through to end() outside the lock
            } else {
                state.schedule.renewed(System.nanoTime(), response.getTTL());
                reschedule(state);
                LeaseKeepAliveResponse r = new LeaseKeepAliveResponse(
                        ProtoConvert.header(response.getHeader()), state.id, response.getTTL());
                for (Handle h : state.handles) {
                    state.callbacks.execute(() -> h.renewed(r));
                }
                return;
            }
        }
        end(state, l -> l.onExpired(state.id));
    }

    // ---- one lease's timer

    private void send(LeaseState state, long now) {
        state.schedule.sent(now);
        Stream s = stream;
        if (s == null || s.requests == null) {
            return;
        }
        try {
            s.requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(state.id).build());
        } catch (RuntimeException e) {
            // The call is already over; its onError arrives separately and reopens the stream.
        }
    }

    private void renewNow(LeaseState state) {
        send(state, System.nanoTime());
        reschedule(state);
    }

    private void reschedule(LeaseState state) {
        if (state.timer != null) {
            state.timer.cancel(false);
        }
        long delay = state.schedule.nextWakeup(stream != null) - System.nanoTime();
        state.timer = transport.scheduler().schedule(() -> tick(state), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void tick(LeaseState state) {
        synchronized (lock) {
            if (leases.get(state.id) != state) {
                return;
            }
            long now = System.nanoTime();
            if (!state.schedule.pastDeadline(now)) {
                if (stream != null && state.schedule.renewalDue(now)) {
                    send(state, now);
                }
                reschedule(state);
                return;
            }
            leases.remove(state.id);
            stopIfIdle();
        }
        EtcdException error = new EtcdTimeoutException(EtcdError.UNKNOWN,
                "etcdj: lease " + state.id + " could not be renewed before its deadline", lastStreamError);
        end(state, l -> l.onError(error));
    }

    private void stopIfIdle() {
        if (leases.isEmpty()) {
            stopStream("no lease left to keep alive");
        }
    }

    /** Ends every handle of a lease that was already removed from {@link #leases}. */
    private void end(LeaseState state, Consumer<KeepAliveListener> terminal) {
        List<Handle> handles;
        synchronized (lock) {
            if (state.timer != null) {
                state.timer.cancel(false);
            }
            handles = new ArrayList<>(state.handles);
            state.handles.clear();
        }
        for (Handle h : handles) {
            h.terminate(terminal);
        }
    }

    private void handleClosed(Handle handle) {
        LeaseState state = handle.state;
        synchronized (lock) {
            if (!state.handles.remove(handle)) {
                return;     // already ended
            }
            if (state.handles.isEmpty() && leases.get(state.id) == state) {
                leases.remove(state.id);
                if (state.timer != null) {
                    state.timer.cancel(false);
                }
                stopIfIdle();
            }
        }
        handle.terminate(KeepAliveListener::onClosed);
    }

    // ---- types

    private final class LeaseState {
        final long id;
        final RenewalSchedule schedule;
        final List<Handle> handles = new ArrayList<>(1);
        final SerialExecutor callbacks = new SerialExecutor(transport.callbackExecutor());
        ScheduledFuture<?> timer;

        LeaseState(long id, long now) {
            this.id = id;
            this.schedule = new RenewalSchedule(now);
        }
    }

    private final class Handle implements KeepAlive {
        final LeaseState state;
        final KeepAliveListener listener;
        final CompletableFuture<Void> terminated = new CompletableFuture<>();
        private boolean ended;      // guarded by the lease's serial executor ordering plus this flag's lock

        Handle(LeaseState state, KeepAliveListener listener) {
            this.state = state;
            this.listener = listener;
        }

        void renewed(LeaseKeepAliveResponse r) {
            if (!isEnded()) {
                listener.onRenewed(r);
            }
        }

        /** Delivers the terminal event once, after every renewal queued before it. */
        void terminate(Consumer<KeepAliveListener> terminal) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            state.callbacks.execute(() -> {
                try {
                    terminal.accept(listener);
                } finally {
                    terminated.complete(null);
                }
            });
        }

        private synchronized boolean isEnded() {
            return ended;
        }

        @Override
        public long leaseId() {
            return state.id;
        }

        @Override
        public CompletableFuture<Void> terminated() {
            return terminated;
        }

        @Override
        public void close() {
            handleClosed(this);
        }

        @Override
        public String toString() {
            return "KeepAlive{lease=" + state.id + "}";
        }
    }

    private final class Stream implements ClientResponseObserver<LeaseKeepAliveRequest,
            dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse> {
        final Channel channel;
        ClientCallStreamObserver<LeaseKeepAliveRequest> requests;
        boolean answered;   // guarded by lock

        Stream(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<LeaseKeepAliveRequest> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse value) {
            answered(this, value);
        }

        @Override
        public void onError(Throwable t) {
            streamEnded(this, t);
        }

        @Override
        public void onCompleted() {
            // As a failure the transport understands (UNAVAILABLE), so it fails over.
            streamEnded(this, Status.UNAVAILABLE.withDescription("etcdj: the server ended the keep-alive stream")
                    .asRuntimeException());
        }
    }
}
