package dev.etcdj.client.internal;

import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EndpointCandidate;
import dev.etcdj.client.EndpointSelector;
import dev.etcdj.client.RequestTooLargeException;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.client.internal.tls.FileBacked;
import dev.etcdj.client.internal.tls.KeyMaterials;
import dev.etcdj.client.internal.tls.TrustMaterials;
import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC channel per endpoint (plain or TLS, with the client's keep-alive and message limits), the
 * set of endpoints in use, which may change ({@link #setEndpoints}), and the choice of endpoint for
 * each attempt (the client's {@link EndpointSelector}). Kept apart from the retry logic because it
 * is the only code that knows how a connection is made; the retry logic only asks for a channel and
 * reports failures.
 */
final class EndpointChannels {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");

    /** Where a call wants to hear which method it starts (a retried call learns its name this way). */
    static final CallOptions.Key<Consumer<MethodDescriptor<?, ?>>> METHOD_SINK =
            CallOptions.Key.create("etcdj-method-sink");

    /** One endpoint and its channel. Identity matters: a slot is never reused for another channel. */
    static final class Slot {
        final Endpoint endpoint;
        /** The endpoint as given (to the builder, or by the member list). */
        final String text;
        /** Whether we speak TLS to it. */
        final boolean tls;
        final ManagedChannel raw;
        /** The channel calls go through: the raw one plus the client's metadata (hasleader). */
        final Channel call;
        /**
         * The event loop the channel runs on, where its calls' deadline timers go: added in the
         * wake-up that writes the call and cancelled where its answer is read, without a hand-off.
         */
        final ScheduledExecutorService timers;

        Slot(Endpoint endpoint, boolean tls, ManagedChannel raw, Channel call, ScheduledExecutorService timers) {
            this.endpoint = endpoint;
            this.text = endpoint.text();
            this.tls = tls;
            this.raw = raw;
            this.call = call;
            this.timers = timers;
        }

        /** What makes two texts the same endpoint: scheme as used, host and port. */
        String key() {
            return key(endpoint, tls);
        }

        static String key(Endpoint e, boolean tls) {
            return (tls ? "https://" : "http://") + e.authority();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final ClientConfig config;
    private final ClientThreads threads;
    private final ClientEvents events;
    private final EndpointSelector selector;
    private final boolean tlsConfigured;
    /** Whether we offer a client certificate (mutual TLS). */
    private final boolean clientCertificate;
    /** The endpoints in use, in order; replaced whole. */
    private volatile List<Slot> slots;
    /** Slots dropped by {@link #setEndpoints} whose channel has not terminated yet. */
    private final Set<Slot> retired = ConcurrentHashMap.newKeySet();
    /** Slots of endpoints that are not in use, made for calls to one named member; closed with the client. */
    private final Map<String, Slot> extras = new ConcurrentHashMap<>();
    private final List<Consumer<Slot>> slotListeners = new CopyOnWriteArrayList<>();
    private SslContext ssl;
    private boolean closed;

    EndpointChannels(ClientConfig config, ClientThreads threads, ClientEvents events) {
        this.config = config;
        this.threads = threads;
        this.events = events;
        this.selector = config.endpointPolicy().newSelector();
        this.tlsConfigured = config.tls().isPresent();
        this.clientCertificate = config.tls().map(TlsConfig::hasClientCertificate).orElse(false);
        List<Endpoint> parsed = parseAll(config.endpoints());
        List<Slot> made = new ArrayList<>();
        for (Endpoint e : parsed) {
            made.add(open(e));
        }
        this.slots = List.copyOf(made);
    }

    private static List<Endpoint> parseAll(List<String> endpoints) {
        List<Endpoint> parsed = new ArrayList<>();
        for (String e : endpoints) {
            parsed.add(Endpoint.parse(e));
        }
        return parsed;
    }

    /** The endpoints in use now. */
    List<Slot> slots() {
        return slots;
    }

    int size() {
        return slots.size();
    }

    List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (Slot s : slots) {
            out.add(s.text);
        }
        return List.copyOf(out);
    }

    boolean clientCertificate() {
        return clientCertificate;
    }

    /** Hears every slot that comes into use after construction (by {@link #setEndpoints}). */
    void onNewSlot(Consumer<Slot> listener) {
        slotListeners.add(listener);
    }

    /**
     * The slot of the endpoint named, as given to the builder or in the member list (any spelling
     * of the same scheme, host and port): one in use, else one made for it alone and kept until the
     * client closes, as Go's {@code Dial}.
     *
     * @throws dev.etcdj.client.InvalidEndpointException when {@code endpoint} cannot be parsed
     */
    Slot named(String endpoint) {
        for (Slot s : slots) {
            if (s.text.equals(endpoint)) {
                return s;
            }
        }
        Endpoint e = Endpoint.parse(endpoint);
        String key = Slot.key(e, e.useTls(tlsConfigured));
        for (Slot s : slots) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        Slot made;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            made = extras.computeIfAbsent(key, k -> open(e));
        }
        return made;
    }

    /**
     * Asks the channel to connect; when it is in a failure backoff, resets it: the caller's own
     * backoff paces the attempts, gRPC's reconnect backoff would only add to it.
     */
    ConnectivityState connect(Slot slot) {
        ConnectivityState state = slot.raw.getState(true);
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
            slot.raw.resetConnectBackoff();
        }
        return state;
    }

    /**
     * The endpoint for the next attempt, as the selector chooses among them. Every idle one starts
     * connecting, and when none is connected all do, in parallel, so that the attempt after this
     * one finds another ready.
     */
    Slot pick() {
        List<Slot> now = slots;
        if (now.size() == 1) {
            return now.get(0);
        }
        List<EndpointCandidate> candidates = new ArrayList<>(now.size());
        boolean anyConnected = false;
        for (Slot s : now) {
            ConnectivityState state = s.raw.getState(false);
            if (state == ConnectivityState.IDLE) {
                // Never connected (a member just learnt) or idle since: connect it, so that the
                // selector can choose it once it is ready.
                s.raw.getState(true);
            }
            boolean connected = state == ConnectivityState.READY;
            anyConnected |= connected;
            candidates.add(new EndpointCandidate(s.text, connected));
        }
        if (!anyConnected) {
            for (Slot s : now) {
                s.raw.getState(true);
            }
        }
        int chosen;
        try {
            chosen = Math.floorMod(selector.select(candidates), now.size());
        } catch (RuntimeException e) {
            // A user's selector failed: the call still needs an endpoint, and the log says why.
            LOG.warn("endpoint selector {} failed; using the first endpoint", selector, e);
            chosen = 0;
        }
        return now.get(chosen);
    }

    /** An attempt on {@code slot} failed because the endpoint could not serve it. */
    void failed(Slot slot) {
        try {
            selector.failed(slot.text);
        } catch (RuntimeException e) {
            LOG.warn("endpoint selector {} failed", selector, e);
        }
    }

    /** Which slot a channel belongs to (one in use, dropped, or made for one member); null when none. */
    Slot slotOf(Channel channel) {
        for (Slot s : slots) {
            if (s.call == channel || s.raw == channel) {
                return s;
            }
        }
        for (Slot s : retired) {
            if (s.call == channel || s.raw == channel) {
                return s;
            }
        }
        for (Slot s : extras.values()) {
            if (s.call == channel || s.raw == channel) {
                return s;
            }
        }
        return null;
    }

    /**
     * Uses {@code endpoints} from now on: keeps the channel of each one already in use (whatever its
     * spelling), opens channels to new ones, and shuts down the channels of the dropped ones. Calls
     * under way on a dropped endpoint may finish there; streams there are closed after
     * {@code grace}, so that they reopen on an endpoint in use.
     *
     * @return whether the endpoints changed
     * @throws dev.etcdj.client.InvalidEndpointException when one cannot be parsed (nothing changes then)
     * @throws IllegalArgumentException when {@code endpoints} is empty
     */
    boolean setEndpoints(List<String> endpoints, long graceNanos) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one endpoint is needed");
        }
        List<Endpoint> parsed = parseAll(endpoints);
        List<Slot> added = new ArrayList<>();
        List<Slot> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return false;
            }
            Map<String, Slot> old = new LinkedHashMap<>();
            for (Slot s : slots) {
                old.put(s.key(), s);
            }
            Map<String, Slot> next = new LinkedHashMap<>();
            for (Endpoint e : parsed) {
                String key = Slot.key(e, e.useTls(tlsConfigured));
                if (next.containsKey(key)) {
                    continue;
                }
                Slot s = old.remove(key);
                if (s == null) {
                    s = extras.remove(key);
                    if (s == null) {
                        s = open(e);
                    }
                    added.add(s);
                }
                next.put(key, s);
            }
            dropped.addAll(old.values());
            if (added.isEmpty() && dropped.isEmpty() && List.copyOf(next.values()).equals(slots)) {
                return false;
            }
            slots = List.copyOf(next.values());
            retired.addAll(dropped);
        }
        added.forEach(s -> slotListeners.forEach(l -> l.accept(s)));
        for (Slot s : dropped) {
            s.raw.shutdown();
            try {
                threads.scheduler().schedule(() -> {
                    s.raw.shutdownNow();
                    retired.remove(s);
                }, graceNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // The client is closing: close() shuts every channel down now.
            }
        }
        LOG.info("endpoints now {} (added {}, dropped {})", endpoints(), added, dropped);
        events.endpointsChanged(endpoints());
        return true;
    }

    void shutdownNow() {
        synchronized (this) {
            closed = true;
        }
        for (ManagedChannel ch : allChannels()) {
            ch.shutdownNow();
        }
    }

    void awaitTermination(long deadlineNanos) throws InterruptedException {
        for (ManagedChannel ch : allChannels()) {
            ch.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private List<ManagedChannel> allChannels() {
        List<ManagedChannel> all = new ArrayList<>();
        slots.forEach(s -> all.add(s.raw));
        retired.forEach(s -> all.add(s.raw));
        extras.values().forEach(s -> all.add(s.raw));
        return all;
    }

    private Slot open(Endpoint e) {
        boolean tls = e.useTls(tlsConfigured);
        EventLoopGroup loop = threads.loopForChannel();
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(e.host(), e.port())
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .executor(threads.grpcExecutor())
                .offloadExecutor(threads.grpcExecutor())
                // Our own retries (RetryingCall) decide what runs again; gRPC's retry layer cost
                // each call ~2.6 KB of allocation and a share of its CPU for replays that only
                // matter for a stream refused before the server took it, which RetryingCall now
                // retries itself (SentTracer.written, Errors.refusedUnprocessed).
                .disableRetry()
                .maxInboundMessageSize(config.maxInboundMessageBytes())
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                // Off by default: etcd's server refuses pings on connections without calls
                // (GOAWAY too_many_pings) unless its policy allows them.
                .keepAliveWithoutCalls(config.permitWithoutStream());
        if (tls) {
            b.negotiationType(NegotiationType.TLS).sslContext(ssl());
            config.tls().flatMap(TlsConfig::authority).ifPresent(b::overrideAuthority);
        } else {
            b.usePlaintext();
        }
        ManagedChannel ch = b.build();
        Channel withMetadata = CallSettings.leaderHeaders(ch, config.requireLeader());
        return new Slot(e, tls, ch, ClientInterceptors.intercept(withMetadata,
                new MethodTeller(config.maxOutboundMessageBytes())), loop);
    }

    private synchronized SslContext ssl() {
        if (ssl == null) {
            ssl = sslContext(config.tls().orElse(null));
        }
        return ssl;
    }

    /** Netty's context over the JSSE key and trust managers of {@code tls} (file material reloads itself). */
    private static SslContext sslContext(TlsConfig tls) {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            List<FileBacked> files = new ArrayList<>();
            if (tls != null) {
                if (tls.insecureSkipVerify()) {
                    b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                } else if (tls.effectiveTrust().isPresent()) {
                    X509ExtendedTrustManager tm = TrustMaterials.trustManager(tls.effectiveTrust().get());
                    b.trustManager(tm);
                    if (tm instanceof FileBacked f) {
                        files.add(f);
                    }
                }
                if (tls.effectiveKey().isPresent()) {
                    X509ExtendedKeyManager km = KeyMaterials.keyManager(tls.effectiveKey().get());
                    b.keyManager(km);
                    if (km instanceof FileBacked f) {
                        files.add(f);
                    }
                }
            }
            SslContext ctx = b.build();
            return files.isEmpty() ? ctx : new RotatingSslContext(ctx, files);
        } catch (SSLException e) {
            throw new IllegalArgumentException("etcdj: invalid TLS configuration: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("etcdj: ") ? e
                    : new IllegalArgumentException("etcdj: invalid TLS configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Tells a call that asks ({@link #METHOD_SINK}) which method it starts, and caps what every call
     * sends at the client's limit.
     */
    private static final class MethodTeller implements ClientInterceptor {
        private final int maxOutbound;

        MethodTeller(int maxOutbound) {
            this.maxOutbound = maxOutbound;
        }

        @Override
        public <Q, P> ClientCall<Q, P> interceptCall(MethodDescriptor<Q, P> method, CallOptions options, Channel next) {
            Consumer<MethodDescriptor<?, ?>> sink = options.getOption(METHOD_SINK);
            if (sink != null) {
                sink.accept(method);
            }
            ClientCall<Q, P> call = next.newCall(method, options);
            return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
                @Override
                public void sendMessage(Q message) {
                    // Checked here, before gRPC frames it: gRPC's own limit fails a call that waits
                    // for its connection only once it connects, in words of its own.
                    int size = message instanceof MessageLite m ? m.getSerializedSize()
                            : message instanceof KvRequestEncoder.Encoded e ? e.size() : 0;
                    if (size > maxOutbound) {
                        RequestTooLargeException e = RequestTooLargeException.notSent(
                                "trying to send message larger than max (" + size + " vs. " + maxOutbound + ")");
                        delegate().cancel(e.getMessage(), e);
                        throw e;
                    }
                    super.sendMessage(message);
                }
            };
        }
    }
}
