package dev.etcdj.client.internal.lease;

import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.KeepAlive;
import dev.etcdj.client.KeepAliveListener;
import dev.etcdj.client.LeaseKeepAliveResponse;
import dev.etcdj.client.internal.ProtoConvert;
import dev.etcdj.client.internal.TerminalCallbacks;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.client.internal.stream.ResilientStream;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.internal.SerialExecutor;
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
 * on the transport's current endpoint after a backoff (see {@link ResilientStream}), and every
 * lease is renewed at once on the new stream. A lease that cannot be renewed before its deadline
 * ends with {@code onError}, and so does every lease at once when the stream fails with an error
 * reopening it would repeat (bad credentials, an untrusted certificate); an answer with TTL 0 ends
 * it with {@code onExpired}; closing the handle or the client ends it with {@code onClosed}. Each
 * handle hears exactly one of them.
 *
 * <p>All state is guarded by {@link #lock}, the stream's too. Listener calls never happen under
 * the lock: they go through the lease's {@link dev.etcdj.proto.internal.SerialExecutor} on the client's callback executor.
 */
final class KeepAliveManager implements AutoCloseable {

    private final Transport transport;
    private final Object lock = new Object();
    private final ResilientStream<LeaseKeepAliveRequest, dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse> stream;
    private final Map<Long, LeaseState> leases = new HashMap<>();
    private EtcdException lastStreamError;
    private boolean closed;

    KeepAliveManager(Transport transport) {
        this.transport = transport;
        this.stream = new ResilientStream<>("keep-alive", transport, LeaseGrpc.getLeaseKeepAliveMethod(), lock,
                0, new Renewals());
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
            transport.events().keepAliveStarted(leaseId);
            handle.terminated.whenComplete((v, e) -> transport.events().keepAliveEnded(leaseId));
            if (fresh && !stream.start()) {     // a new stream sends for every lease, this one included
                renewNow(state);
            }
            return handle;
        }
    }

    /** Whether the keep-alive stream is up and has answered; for tests and diagnostics. */
    boolean streamAnswered() {
        return stream.isAnswered();
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
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(leases.values());
            leases.clear();
            stream.stop("client closed");
            for (LeaseState state : all) {
                state.handles.forEach(h -> done.add(h.terminated));
            }
        }
        for (LeaseState state : all) {
            end(state, KeepAliveListener::onClosed);
        }
        TerminalCallbacks.await(done);
    }

    // ---- the stream

    /** What the keep-alive stream carries: every lease's renewals. Runs under {@link #lock}. */
    private final class Renewals
            implements ResilientStream.Handler<dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse> {

        @Override
        public boolean wanted() {
            return !closed && !leases.isEmpty();
        }

        @Override
        public void opened() {
            long now = System.nanoTime();
            for (LeaseState state : leases.values()) {
                state.schedule.requestsLost();
                send(state, now);
                reschedule(state);
            }
        }

        @Override
        public Runnable received(dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse response) {
            LeaseState state = leases.get(response.getID());
            if (state == null) {
                return null;     // closed meanwhile, or an answer to a duplicate request
            }
            if (response.getTTL() <= 0) {
                leases.remove(state.id);
                stopIfIdle();
                return () -> end(state, l -> l.onExpired(state.id));
            }
            long lag = state.schedule.renewed(System.nanoTime(), response.getTTL());
            transport.events().keepAliveLag(state.id, lag);
            reschedule(state);
            LeaseKeepAliveResponse r = new LeaseKeepAliveResponse(
                    ProtoConvert.header(response.getHeader()), state.id, response.getTTL());
            for (Handle h : state.handles) {
                state.callbacks.execute(() -> h.renewed(r));
            }
            return null;
        }

        @Override
        public void interrupted(EtcdException error) {
            lastStreamError = error;
            if (closed) {
                return;
            }
            // While the stream is down the timers only watch the deadlines.
            for (LeaseState state : leases.values()) {
                reschedule(state);
            }
        }

        @Override
        public Runnable failed(EtcdException error) {
            // Every lease ends with the error: renewing would fail the same way until its deadline.
            lastStreamError = error;
            List<LeaseState> all = new ArrayList<>(leases.values());
            leases.clear();
            return () -> all.forEach(state -> end(state, l -> l.onError(error)));
        }

        @Override
        public void clientClosed() {
            close();    // every keep-alive ends with onClosed
        }
    }

    // ---- one lease's timer

    private void send(LeaseState state, long now) {
        state.schedule.sent(now);
        stream.send(LeaseKeepAliveRequest.newBuilder().setID(state.id).build());
    }

    private void renewNow(LeaseState state) {
        send(state, System.nanoTime());
        reschedule(state);
    }

    private void reschedule(LeaseState state) {
        if (state.timer != null) {
            state.timer.cancel(false);
        }
        long delay = state.schedule.nextWakeup(stream.isOpen()) - System.nanoTime();
        state.timer = transport.scheduler().schedule(() -> tick(state), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void tick(LeaseState state) {
        synchronized (lock) {
            if (leases.get(state.id) != state) {
                return;
            }
            long now = System.nanoTime();
            if (!state.schedule.pastDeadline(now)) {
                if (stream.isOpen() && state.schedule.renewalDue(now)) {
                    send(state, now);
                }
                reschedule(state);
                return;
            }
            leases.remove(state.id);
            stopIfIdle();
        }
        // Says why when the stream was failing: "could not connect to ...: refused the connection".
        EtcdException error = new EtcdTimeoutException(EtcdError.UNKNOWN,
                "etcdj: lease " + state.id + " could not be renewed before its deadline"
                        + (lastStreamError == null ? "" : ": " + lastStreamError.getMessage()), lastStreamError);
        end(state, l -> l.onError(error));
    }

    private void stopIfIdle() {
        if (leases.isEmpty()) {
            stream.stop("no lease left to keep alive");
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
        final SerialExecutor callbacks = new SerialExecutor(transport.callbackExecutor(), "keep-alive listener");
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
}
