package dev.etcdj.client.internal;

import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.client.internal.tls.FileBacked;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One gRPC channel per endpoint (plain or TLS, with the client's keep-alive and message limits) and
 * which endpoint is "current". Kept apart from the retry logic because it is the only code that
 * knows how a connection is made; the retry logic only asks for a channel and reports failures.
 */
final class EndpointChannels {

    /** Where a call wants to hear which method it starts (a retried call learns its name this way). */
    static final CallOptions.Key<Consumer<MethodDescriptor<?, ?>>> METHOD_SINK =
            CallOptions.Key.create("etcdj-method-sink");

    static final Metadata.Key<String> HAS_LEADER_KEY = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    private final List<String> endpoints;
    /** Per endpoint: whether we speak TLS to it. */
    private final boolean[] tls;
    /** Whether we offer a client certificate (mutual TLS). */
    private final boolean clientCertificate;
    private final List<ManagedChannel> channels;
    /** The channels calls go through: the raw ones plus the client's metadata (hasleader). */
    private final List<Channel> callChannels;
    private final AtomicInteger current = new AtomicInteger();
    private final ClientEvents events;

    EndpointChannels(ClientConfig config, ClientThreads threads, ClientEvents events) {
        this.endpoints = config.endpoints();
        this.events = events;
        List<Endpoint> parsed = new ArrayList<>();
        for (String e : config.endpoints()) {
            parsed.add(Endpoint.parse(e));
        }
        boolean tlsConfigured = config.tls().isPresent();
        this.tls = new boolean[parsed.size()];
        SslContext ssl = null;
        for (int i = 0; i < tls.length; i++) {
            tls[i] = parsed.get(i).useTls(tlsConfigured);
            if (tls[i] && ssl == null) {
                ssl = sslContext(config.tls().orElse(null));
            }
        }
        this.clientCertificate = config.tls().map(TlsConfig::hasClientCertificate).orElse(false);
        Metadata extra = new Metadata();
        if (config.requireLeader()) {
            extra.put(HAS_LEADER_KEY, "true");
        }
        List<ManagedChannel> made = new ArrayList<>();
        List<Channel> intercepted = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Endpoint e = parsed.get(i);
            NettyChannelBuilder b = NettyChannelBuilder.forAddress(e.host(), e.port())
                    .eventLoopGroup(threads.eventLoop())
                    .channelType(NioSocketChannel.class)
                    .executor(threads.callExecutor())
                    .offloadExecutor(threads.callExecutor())
                    .maxInboundMessageSize(config.maxInboundMessageBytes())
                    .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                    // etcd's server refuses pings on connections without calls (GOAWAY too_many_pings).
                    .keepAliveWithoutCalls(false);
            if (tls[i]) {
                b.negotiationType(NegotiationType.TLS).sslContext(ssl);
                config.tls().flatMap(TlsConfig::authority).ifPresent(b::overrideAuthority);
            } else {
                b.usePlaintext();
            }
            ManagedChannel ch = b.build();
            made.add(ch);
            Channel withMetadata = extra.keys().isEmpty() ? ch
                    : ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(extra));
            intercepted.add(ClientInterceptors.intercept(withMetadata, new MethodTeller()));
        }
        this.channels = List.copyOf(made);
        this.callChannels = List.copyOf(intercepted);
    }

    int size() {
        return channels.size();
    }

    List<String> endpoints() {
        return endpoints;
    }

    String endpoint(int index) {
        return endpoints.get(index);
    }

    boolean tls(int index) {
        return tls[index];
    }

    boolean clientCertificate() {
        return clientCertificate;
    }

    /** The raw channel: for its connectivity state. */
    ManagedChannel raw(int index) {
        return channels.get(index);
    }

    /** The channel calls go through (with the client's extra metadata). */
    Channel call(int index) {
        return callChannels.get(index);
    }

    /** The channel of the current endpoint. */
    Channel current() {
        return callChannels.get(current.get());
    }

    /**
     * Asks the channel to connect; when it is in a failure backoff, resets it: the caller's own
     * backoff paces the attempts, gRPC's reconnect backoff would only add to it.
     */
    ConnectivityState connect(int index) {
        ManagedChannel channel = channels.get(index);
        ConnectivityState state = channel.getState(true);
        if (state == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
        }
        return state;
    }

    /**
     * The endpoint for the next attempt: the current one when connected, else the next connected
     * one (which becomes current). When none is connected, all start connecting, in parallel, so a
     * failover finds the next one ready.
     */
    int pick() {
        int index = current.get();
        if (channels.size() == 1 || channels.get(index).getState(false) == ConnectivityState.READY) {
            return index;
        }
        for (int j = 1; j < channels.size(); j++) {
            int other = (index + j) % channels.size();
            if (channels.get(other).getState(false) == ConnectivityState.READY) {
                if (current.compareAndSet(index, other)) {
                    events.endpointSwitch(endpoints.get(index), endpoints.get(other));
                }
                return other;
            }
        }
        for (ManagedChannel ch : channels) {
            ch.getState(true);
        }
        return index;
    }

    /** The endpoint at {@code index} failed: the next one becomes current (unless another call moved it already). */
    void failedOver(int index) {
        int next = (index + 1) % channels.size();
        if (next != index && current.compareAndSet(index, next)) {
            events.endpointSwitch(endpoints.get(index), endpoints.get(next));
        }
    }

    /** Which endpoint a channel belongs to; -1 when none. */
    int indexOf(Channel channel) {
        for (int i = 0; i < channels.size(); i++) {
            if (callChannels.get(i) == channel || channels.get(i) == channel) {
                return i;
            }
        }
        return -1;
    }

    void shutdownNow() {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
    }

    void awaitTermination(long deadlineNanos) throws InterruptedException {
        for (ManagedChannel ch : channels) {
            ch.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
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
                    X509ExtendedTrustManager tm = tls.effectiveTrust().get().trustManager();
                    b.trustManager(tm);
                    if (tm instanceof FileBacked f) {
                        files.add(f);
                    }
                }
                if (tls.effectiveKey().isPresent()) {
                    X509ExtendedKeyManager km = tls.effectiveKey().get().keyManager();
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

    /** Tells a call that asks ({@link #METHOD_SINK}) which method it starts. */
    private static final class MethodTeller implements ClientInterceptor {
        @Override
        public <Q, P> ClientCall<Q, P> interceptCall(MethodDescriptor<Q, P> method, CallOptions options, Channel next) {
            Consumer<MethodDescriptor<?, ?>> sink = options.getOption(METHOD_SINK);
            if (sink != null) {
                sink.accept(method);
            }
            return next.newCall(method, options);
        }
    }
}
