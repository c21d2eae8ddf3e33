package dev.etcdj.client.internal;

import dev.etcdj.client.ConnectionState;
import dev.etcdj.client.ConnectionStateListener;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.proto.internal.SerialExecutor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the channels' connectivity into the client's {@link ConnectionState}: connected while any
 * endpoint has an established connection. With listeners, a channel that leaves READY is asked to
 * connect again at once (the client keeps its connections warm), so that losing the last one is
 * noticed as SUSPENDED even without calls, and a restored one as RECONNECTED. Changes are handed to
 * the listeners one at a time, in order, on the callback executor; they are logged either way.
 */
final class ConnectionStates {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");

    private final EndpointChannels channels;
    private final ClientThreads threads;
    private final long lostAfterNanos;
    private final List<ConnectionStateListener> listeners;
    private final SerialExecutor deliveries;
    private EtcdClient client;

    // guarded by this
    private ConnectionState state;     // null until the first connection
    private ScheduledFuture<?> lostTimer;
    private boolean closed;

    ConnectionStates(EndpointChannels channels, ClientThreads threads, Duration lostAfter,
                     List<ConnectionStateListener> listeners) {
        this.channels = channels;
        this.threads = threads;
        this.lostAfterNanos = lostAfter.toNanos();
        this.listeners = List.copyOf(listeners);
        this.deliveries = new SerialExecutor(threads.callExecutor(), "connection state listener");
    }

    /**
     * Starts following the channels; {@code client} is what listeners are told about. With listeners,
     * connects to every endpoint now (so CONNECTED comes without a first call) and keeps connecting
     * after a loss; without, only follows what calls and streams do and logs it.
     */
    void start(EtcdClient client) {
        this.client = client;
        channels.onNewSlot(slot -> follow(slot.raw));
        for (EndpointChannels.Slot slot : channels.slots()) {
            follow(slot.raw);
        }
    }

    private void follow(ManagedChannel channel) {
        channel.getState(!listeners.isEmpty());
        follow(channel, ConnectivityState.IDLE);     // a new channel is IDLE: anything else is a change
    }

    private void follow(ManagedChannel channel, ConnectivityState seen) {
        ConnectivityState now = channel.getState(false);
        if (now == ConnectivityState.SHUTDOWN) {
            changed();      // a dropped endpoint may have been the connected one
            return;
        }
        if (now != seen) {
            changed();
        }
        if (!listeners.isEmpty() && seen == ConnectivityState.READY && now != ConnectivityState.READY) {
            channel.getState(true);     // reconnect now, so a lost server is noticed without calls
        }
        channel.notifyWhenStateChanged(now, () -> follow(channel, now));
    }

    private void changed() {
        boolean connected = false;
        for (EndpointChannels.Slot slot : channels.slots()) {
            if (slot.raw.getState(false) == ConnectivityState.READY) {
                connected = true;
                break;
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (connected && (state == null || !state.isConnected())) {
                cancelLostTimer();
                set(state == null ? ConnectionState.CONNECTED : ConnectionState.RECONNECTED);
            } else if (!connected && state != null && state.isConnected()) {
                set(ConnectionState.SUSPENDED);
                try {
                    lostTimer = threads.scheduler().schedule(this::lost, lostAfterNanos, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    // The client is closing: no LOST to tell.
                }
            }
        }
    }

    private synchronized void lost() {
        if (!closed && state == ConnectionState.SUSPENDED) {
            set(ConnectionState.LOST);
        }
    }

    private void cancelLostTimer() {
        if (lostTimer != null) {
            lostTimer.cancel(false);
            lostTimer = null;
        }
    }

    /** Under the monitor: record and queue the change, in order. */
    private void set(ConnectionState next) {
        state = next;
        switch (next) {
            case CONNECTED, RECONNECTED -> LOG.info("connection state {}", next);
            case SUSPENDED, LOST -> LOG.warn("connection state {}: no endpoint of {} is connected", next,
                    channels.endpoints());
        }
        for (ConnectionStateListener l : listeners) {
            deliveries.execute(() -> l.stateChanged(client, next));
        }
    }

    synchronized ConnectionState current() {
        return state;
    }

    synchronized void close() {
        closed = true;
        cancelLostTimer();
    }
}
