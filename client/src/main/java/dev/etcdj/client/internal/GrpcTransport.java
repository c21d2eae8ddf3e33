package dev.etcdj.client.internal;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.proto.internal.PemKeys;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * The gRPC transport: one channel per endpoint, a "current" endpoint that moves round robin on
 * failures, retries that keep at-most-once for writes, deadlines, auth tokens, and threads of its
 * own (all daemon) that {@link #close()} stops.
 */
public final class GrpcTransport implements Transport, AutoCloseable {

    static final Metadata.Key<String> TOKEN_KEY = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> HAS_LEADER_KEY = Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    /** The least time an attempt waits for a connection before trying elsewhere. */
    private static final long MIN_CONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ClientConfig config;
    private final List<Endpoint> endpoints;
    /** Per endpoint: whether we speak TLS to it. */
    private final boolean[] tls;
    /** Whether we offer a client certificate (mutual TLS). */
    private final boolean clientCertificate;
    private final List<ManagedChannel> channels;
    /** The channels calls go through: the raw ones plus the client's metadata (hasleader). */
    private final List<Channel> callChannels;
    private final AtomicInteger current = new AtomicInteger();
    private final EventLoopGroup eventLoop;
    private final ExecutorService callExecutor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final TokenCredentials credentials;
    private final Set<Call<?>> running = ConcurrentHashMap.newKeySet();
    /** Per endpoint, why the latest stream on it could not connect; null when it did. Guarded by itself. */
    private final ConnectFailure[] streamFailures;
    private final AtomicBoolean closed = new AtomicBoolean();

    public GrpcTransport(ClientConfig config) {
        this.config = config;
        List<Endpoint> parsed = new ArrayList<>();
        for (String e : config.endpoints()) {
            parsed.add(Endpoint.parse(e));
        }
        this.endpoints = List.copyOf(parsed);
        SslContext ssl = null;
        boolean tlsConfigured = config.tls().isPresent();
        this.tls = new boolean[endpoints.size()];
        for (int i = 0; i < tls.length; i++) {
            tls[i] = endpoints.get(i).useTls(tlsConfigured);
        }
        this.clientCertificate = config.tls().flatMap(TlsConfig::certChain).isPresent();
        for (Endpoint e : endpoints) {
            if (e.useTls(tlsConfigured) && ssl == null) {
                ssl = sslContext(config.tls().orElse(null));
            }
        }
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.eventLoop = new MultiThreadIoEventLoopGroup(threads,
                owned(NetworkThreads.marking(new DefaultThreadFactory("etcdj-netty", true))),
                NioIoHandler.newFactory());
        this.scheduler = new ScheduledThreadPoolExecutor(1, owned(daemonThreads("etcdj-scheduler")));
        scheduler.setRemoveOnCancelPolicy(true);
        this.callExecutor = new CallbackExecutor(Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors())),
                TimeUnit.SECONDS.toNanos(60), TimeUnit.MILLISECONDS.toNanos(20), owned(daemonThreads("etcdj-callback")), scheduler);
        this.credentials = config.user().isPresent() ? new TokenCredentials(this, config) : null;

        List<ManagedChannel> made = new ArrayList<>();
        List<Channel> intercepted = new ArrayList<>();
        Metadata extra = new Metadata();
        if (config.requireLeader()) {
            extra.put(HAS_LEADER_KEY, "true");
        }
        for (Endpoint e : endpoints) {
            NettyChannelBuilder b = NettyChannelBuilder.forAddress(e.host(), e.port())
                    .eventLoopGroup(eventLoop)
                    .channelType(NioSocketChannel.class)
                    .executor(callExecutor)
                    .offloadExecutor(callExecutor)
                    .maxInboundMessageSize(config.maxInboundMessageBytes())
                    .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                    // etcd's server refuses pings on connections without calls (GOAWAY too_many_pings).
                    .keepAliveWithoutCalls(false);
            if (e.useTls(tlsConfigured)) {
                b.negotiationType(NegotiationType.TLS).sslContext(ssl);
                config.tls().flatMap(TlsConfig::authority).ifPresent(b::overrideAuthority);
            } else {
                b.usePlaintext();
            }
            ManagedChannel ch = b.build();
            made.add(ch);
            intercepted.add(extra.keys().isEmpty() ? ch
                    : ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(extra)));
        }
        this.channels = List.copyOf(made);
        this.callChannels = List.copyOf(intercepted);
        this.streamFailures = new ConnectFailure[channels.size()];
    }

    // ---- unary calls

    @Override
    public <T> CompletableFuture<T> unary(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return start(-1, timeout, idempotent, config.completeOnNetworkThreads(), call);
    }

    @Override
    public <T> CompletableFuture<T> unaryForWaiter(Duration timeout, boolean idempotent, UnaryCall<T> call) {
        return start(-1, timeout, idempotent, true, call);
    }

    @Override
    public <T> CompletableFuture<T> unaryOn(String endpoint, Duration timeout, UnaryCall<T> call) {
        int index = config.endpoints().indexOf(endpoint);
        if (index < 0) {
            return CompletableFuture.failedFuture(new EtcdException(EtcdException.Code.INVALID_ARGUMENT,
                    "etcdj: " + endpoint + " is not one of the client's endpoints " + config.endpoints()));
        }
        // Retried only while it surely reached no server: callers use this for calls that must
        // not run twice against one member (a snapshot already half written to the caller's stream).
        return start(index, timeout, false, config.completeOnNetworkThreads(), call);
    }

    private <T> CompletableFuture<T> start(int fixedEndpoint, Duration timeout, boolean idempotent, boolean direct,
            UnaryCall<T> call) {
        Duration t = timeout == null ? config.requestTimeout() : timeout;
        Call<T> c = new Call<>(call, idempotent, fixedEndpoint, t.toNanos(), direct);
        if (closed.get()) {
            c.completeExceptionally(new ClientClosedException());
            return c;
        }
        running.add(c);
        c.whenComplete((v, e) -> running.remove(c));
        if (closed.get()) {
            // close() may have run between the check and the add and missed this call.
            c.completeExceptionally(new ClientClosedException());
            return c;
        }
        c.attempt();
        return c;
    }

    /**
     * One logical call and its attempts. Each attempt runs on the current endpoint; a failure that
     * is safe to retry moves the endpoint on and schedules the next attempt after a backoff, within
     * the call's deadline. Cancelling this future cancels the attempt in flight.
     */
    private final class Call<T> extends CompletableFuture<T> {
        private final UnaryCall<T> call;
        private final boolean idempotent;
        private final int fixedEndpoint;
        /** Complete on the network thread (see ClientBuilder.completeOnNetworkThreads, Transport.unaryForWaiter). */
        private final boolean direct;
        private final long startNanos = System.nanoTime();
        private final long deadlineNanos;
        /** The same absolute deadline for every attempt: retries never extend it. */
        private final Deadline deadline;
        // Touched by one attempt at a time: each attempt starts after the previous one ended.
        private int retries;
        private int memberRetries;
        private Throwable lastError;
        /** Per endpoint, the last failure that says why we could not connect (TLS, refused, ...). */
        private final ConnectFailure[] failures = new ConnectFailure[channels.size()];
        private ConnectFailure lastFailure;
        /** The last failure of an attempt that was not ended by our own dial timer. */
        private Throwable lastRealError;
        private boolean reauthenticated;
        private boolean everSent;
        private volatile ListenableFuture<T> inFlight;
        private volatile ScheduledFuture<?> pending;

        Call(UnaryCall<T> call, boolean idempotent, int fixedEndpoint, long timeoutNanos, boolean direct) {
            this.call = call;
            this.idempotent = idempotent;
            this.fixedEndpoint = fixedEndpoint;
            this.direct = direct;
            this.deadlineNanos = startNanos + timeoutNanos;
            this.deadline = Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
        }

        void attempt() {
            if (isDone()) {
                return;
            }
            if (closed.get()) {
                completeExceptionally(new ClientClosedException());
                return;
            }
            long now = System.nanoTime();
            long remaining = deadlineNanos - now;
            if (remaining <= 0) {
                expiredBetweenAttempts();
                return;
            }
            int index = fixedEndpoint >= 0 ? fixedEndpoint : pickEndpoint();
            ManagedChannel channel = channels.get(index);
            ConnectivityState state = channel.getState(true);
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                // Our own backoff paces the attempts: do not also wait out gRPC's reconnect backoff.
                channel.resetConnectBackoff();
            }
            AtomicBoolean sent = new AtomicBoolean();
            CallOptions options = CallOptions.DEFAULT
                    .withDeadline(deadline)
                    .withStreamTracerFactory(new SentTracer(sent));
            if (credentials != null) {
                options = options.withCallCredentials(credentials);
            }
            if (direct) {
                // gRPC runs this call's listener, hence our completion, right on the event loop.
                options = options.withExecutor(MoreExecutors.directExecutor());
            }
            if (deadline.isExpired()) {
                expiredBetweenAttempts(); // it ran out while this attempt was being prepared
                return;
            }
            ListenableFuture<T> f;
            try {
                f = call.start(callChannels.get(index), options);
            } catch (RuntimeException e) {
                completeExceptionally(Errors.toEtcdException(e));
                return;
            }
            inFlight = f;
            if (isCancelled()) {
                f.cancel(true);
                return;
            }
            AtomicBoolean dialExpired = new AtomicBoolean();
            ScheduledFuture<?> dialTimer = null;
            if (state != ConnectivityState.READY) {
                // Not connected yet: give this endpoint its share of the dial timeout, so one
                // black-holed endpoint cannot use up the whole call while others are fine.
                int shares = fixedEndpoint >= 0 ? 1 : channels.size();
                long connectBudget = Math.max(MIN_CONNECT_NANOS, config.dialTimeout().toNanos() / shares);
                if (!everSent) {
                    connectBudget = Math.min(connectBudget, startNanos + config.dialTimeout().toNanos() - now);
                }
                if (connectBudget < remaining) {
                    dialTimer = schedule(() -> {
                        if (!sent.get() && !f.isDone()) {
                            dialExpired.set(true);
                            f.cancel(true);
                        }
                    }, Math.max(0, connectBudget));
                }
            }
            ScheduledFuture<?> timer = dialTimer;
            f.addListener(() -> {
                if (timer != null) {
                    timer.cancel(false);
                }
                onDone(f, index, sent.get(), dialExpired.get());
            }, MoreExecutors.directExecutor());
        }

        private void onDone(ListenableFuture<T> f, int index, boolean sent, boolean dialExpired) {
            if (isDone()) {
                return;
            }
            Throwable error;
            try {
                complete(com.google.common.util.concurrent.Futures.getDone(f));
                return;
            } catch (ExecutionException e) {
                error = e.getCause();
            } catch (CancellationException e) {
                error = e;
            } catch (RuntimeException e) {
                error = e;
            }
            if (closed.get()) {
                completeExceptionally(new ClientClosedException());
                return;
            }
            ConnectFailure failure = null;
            if (dialExpired) {
                // We cancelled the attempt ourselves because it found no connection in time. Its
                // CancellationException says nothing; an earlier real failure, if any, says more.
                error = Status.UNAVAILABLE.withDescription("etcdj: no connection to "
                        + config.endpoints().get(index) + " in time").asRuntimeException();
            } else {
                lastRealError = error;
                failure = ConnectFailure.of(error, config.endpoints().get(index), tls[index], clientCertificate, sent);
                if (failure != null) {
                    failures[index] = failure;
                    lastFailure = failure;
                    if (failure.kind() != ConnectFailure.Kind.TLS_HANDSHAKE) {
                        // No connection, or its handshake failed (with TLS 1.3 the client may
                        // already have sent the request, which the server never read): the
                        // request surely reached no server.
                        sent = false;
                    }
                }
            }
            everSent |= sent;
            EtcdError etcdError = Errors.etcdError(error);
            if (credentials != null && !reauthenticated && needsNewToken(etcdError)) {
                // The token expired, the auth store moved on, or auth was enabled since we last
                // asked: get a new token and try once more.
                reauthenticated = true;
                credentials.invalidate();
                attempt();
                return;
            }
            Status status = Errors.statusOf(error);
            boolean unavailable = dialExpired || failure != null || (Errors.isUnavailable(status)
                    && !(status.getCause() instanceof EtcdException e && e.error() != EtcdError.UNKNOWN));
            if (!unavailable) {
                if (!sent && lastError != null && status != null && status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                    // A retry that began just before the deadline and died of it unsent: the news is
                    // still why the earlier attempts failed.
                    expiredBetweenAttempts();
                    return;
                }
                completeExceptionally(failed(error));
                return;
            }
            if (fixedEndpoint < 0) {
                current.compareAndSet(index, (index + 1) % channels.size());
            }
            // A member that answered "no leader", "leader changed", ... is worth asking again only
            // through another member, once each; with one endpoint the caller hears it at once.
            boolean memberAnswered = etcdError != EtcdError.UNKNOWN;
            if (memberAnswered && (fixedEndpoint >= 0 || ++memberRetries >= channels.size())) {
                completeExceptionally(Errors.toEtcdException(error));
                return;
            }
            if (failure != null && failure.certificate() && everyEndpointFailedOnACertificate()) {
                // Not transient: trying again until the dial timeout would only delay the answer.
                completeExceptionally(notConnected(error, true));
                return;
            }
            long now = System.nanoTime();
            boolean dialOver = !everSent && now - startNanos >= config.dialTimeout().toNanos();
            if ((idempotent || !sent) && retries < config.maxRetries() && !dialOver) {
                long delay = backoff(retries++).toNanos();
                if (now + delay < deadlineNanos) {
                    lastError = error;
                    try {
                        pending = schedule(this::attempt, delay);
                        if (isCancelled()) {
                            pending.cancel(false);
                        }
                        return;
                    } catch (RejectedExecutionException closing) {
                        completeExceptionally(new ClientClosedException());
                        return;
                    }
                }
            }
            completeExceptionally(everSent ? failed(error) : notConnected(error, false));
        }

        /** The deadline passed before an attempt could start: report why we were retrying, not a bare timeout. */
        private void expiredBetweenAttempts() {
            Throwable last = lastError;
            completeExceptionally(last == null
                    ? new EtcdTimeoutException(EtcdError.UNKNOWN, Errors.DEADLINE_MESSAGE, null)
                    : everSent ? failed(last) : notConnected(last, false));
        }

        private boolean everyEndpointFailedOnACertificate() {
            if (fixedEndpoint >= 0) {
                return failures[fixedEndpoint] != null && failures[fixedEndpoint].certificate();
            }
            for (ConnectFailure f : failures) {
                if (f == null || !f.certificate()) {
                    return false;
                }
            }
            return true;
        }

        /** The error as the caller sees it; a server's "context canceled" after our deadline is that deadline. */
        private EtcdException failed(Throwable error) {
            EtcdException e = Errors.toEtcdException(error);
            if (e.code() == EtcdException.Code.CANCELLED && System.nanoTime() - deadlineNanos >= 0) {
                return new EtcdTimeoutException(EtcdError.UNKNOWN, Errors.DEADLINE_MESSAGE, e);
            }
            return e;
        }

        /**
         * The call reached no server. Says why in the most telling words we have: each endpoint's
         * diagnosed failure (TLS, certificate, refused), else the last real failure's description
         * and root cause, never our own dial timer's cancel when something better is known.
         */
        private EtcdException notConnected(Throwable error, boolean gaveUpEarly) {
            List<String> eps = fixedEndpoint >= 0 ? List.of(config.endpoints().get(fixedEndpoint)) : config.endpoints();
            List<String> reasons = new ArrayList<>();
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] != null && (fixedEndpoint < 0 || fixedEndpoint == i)) {
                    reasons.add(failures[i].message());
                }
            }
            Throwable cause;
            String why;
            if (!reasons.isEmpty()) {
                cause = lastFailure.error();
                why = String.join("; ", reasons);
            } else {
                cause = lastRealError != null ? lastRealError : error;
                why = describe(cause);
            }
            return couldNotConnect(eps, gaveUpEarly ? "" : " within " + config.dialTimeout().toMillis() + " ms", why,
                    cause);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                abort();
            }
            return cancelled;
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            boolean done = super.completeExceptionally(ex);
            if (done && ex instanceof ClientClosedException) {
                abort();
            }
            return done;
        }

        private void abort() {
            ScheduledFuture<?> p = pending;
            if (p != null) {
                p.cancel(false);
            }
            ListenableFuture<T> f = inFlight;
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    /** How calls and streams that reached no server say so: the endpoints, and why for each. */
    private static EtcdUnavailableException couldNotConnect(List<String> endpoints, String within, String why,
                                                            Throwable cause) {
        return new EtcdUnavailableException(EtcdError.UNKNOWN,
                "etcdj: could not connect to " + endpoints + within + ": " + why, cause);
    }

    /** gRPC's description (first line: Netty appends its pipeline) and the root cause's message. */
    private static String describe(Throwable error) {
        Status status = Errors.statusOf(error);
        String why = status != null && status.getDescription() != null ? firstLine(status.getDescription())
                : String.valueOf(Errors.unwrap(error));
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != error && root.getMessage() != null && !why.contains(firstLine(root.getMessage()))) {
            why = why + " (" + firstLine(root.getMessage()) + ")";
        }
        return why;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * The endpoint for the next attempt: the current one when connected, else the next connected
     * one (which becomes current). When none is connected, all start connecting, in parallel, so a
     * failover finds the next one ready.
     */
    private int pickEndpoint() {
        int index = current.get();
        if (channels.size() == 1 || channels.get(index).getState(false) == ConnectivityState.READY) {
            return index;
        }
        for (int j = 1; j < channels.size(); j++) {
            int other = (index + j) % channels.size();
            if (channels.get(other).getState(false) == ConnectivityState.READY) {
                current.compareAndSet(index, other);
                return other;
            }
        }
        for (ManagedChannel ch : channels) {
            ch.getState(true);
        }
        return index;
    }

    /** Notes whether the call got a stream on a real connection: until then it cannot have reached a server. */
    private static final class SentTracer extends ClientStreamTracer.Factory {
        private final AtomicBoolean sent;

        SentTracer(AtomicBoolean sent) {
            this.sent = sent;
        }

        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
            return new ClientStreamTracer() {
                @Override
                public void streamCreated(io.grpc.Attributes transportAttrs, Metadata h) {
                    sent.set(true);
                }
            };
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        // Run the task on the call executor, not the scheduler thread: it may start network work.
        return scheduler.schedule(() -> {
            try {
                callExecutor.execute(task);
            } catch (RejectedExecutionException closing) {
                // The client is closing; close() fails the call.
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    // ---- streams

    @Override
    public Channel streamChannel() {
        // Prefer a connected endpoint: a stream opened on a dead one fails (or, blackholed, stays silent).
        int index = pickEndpoint();
        ManagedChannel channel = channels.get(index);
        if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
            // The stream's own backoff paces the attempts: do not also wait out gRPC's reconnect backoff.
            channel.resetConnectBackoff();
        }
        return callChannels.get(index);
    }

    @Override
    public CallOptions streamCallOptions() {
        return credentials == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withCallCredentials(credentials);
    }

    @Override
    public StreamFailure streamFailed(Channel channel, Throwable error, boolean sent) {
        EtcdError etcdError = Errors.etcdError(error);
        if (credentials != null && needsNewToken(etcdError)) {
            credentials.invalidate();
        }
        int index = indexOf(channel);
        Status status = Errors.statusOf(error);
        // Not refused by something of ours (credentials) but by the endpoint or the way to it.
        boolean unreachable = index >= 0 && Errors.isUnavailable(status)
                && !(status.getCause() instanceof EtcdException);
        ConnectFailure failure = unreachable
                ? ConnectFailure.of(error, config.endpoints().get(index), tls[index], clientCertificate, sent) : null;
        // A diagnosed failure, or one before the stream ever got onto a connection: a failure to connect.
        boolean connecting = failure != null || (unreachable && !sent);
        boolean permanent = false;
        EtcdException mapped;
        if (index >= 0) {
            synchronized (streamFailures) {
                if (failure != null || sent) {
                    // The endpoint's latest diagnosis; a stream that got onto a connection clears it.
                    streamFailures[index] = failure;
                }
                ConnectFailure known = connecting ? streamFailures[index] : null;
                if (failure != null && failure.certificate() && everyStreamFailedOnACertificate()) {
                    // In the words a unary call uses, with every endpoint's reason.
                    permanent = true;
                    mapped = couldNotConnect(config.endpoints(), "", Arrays.stream(streamFailures)
                            .map(ConnectFailure::message).collect(Collectors.joining("; ")), failure.error());
                } else if (connecting) {
                    // gRPC's words ("io exception") for an attempt the diagnosis of an earlier one explains.
                    mapped = couldNotConnect(List.of(config.endpoints().get(index)), "",
                            known != null ? known.message() : describe(error), known != null ? known.error() : error);
                } else {
                    mapped = null;
                }
            }
        } else {
            mapped = null;
        }
        if (mapped == null) {
            permanent = Errors.haltsStream(error);
            mapped = Errors.toEtcdException(error);
        }
        boolean unavailable = failure != null || Errors.isUnavailable(status)
                || etcdError.code() == EtcdException.Code.UNAVAILABLE
                || error instanceof EtcdUnavailableException;
        if (unavailable && index >= 0) {
            current.compareAndSet(index, (index + 1) % channels.size());
        }
        return new StreamFailure(mapped, permanent);
    }

    /** Whether the latest stream failure on every endpoint was a certificate one: retrying will not help. */
    private boolean everyStreamFailedOnACertificate() {
        for (ConnectFailure f : streamFailures) {
            if (f == null || !f.certificate()) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(Channel channel) {
        for (int i = 0; i < channels.size(); i++) {
            if (callChannels.get(i) == channel || channels.get(i) == channel) {
                return i;
            }
        }
        return -1;
    }

    /** The errors a fresh token cures; USER_EMPTY means we sent none because auth was off when we asked. */
    private static boolean needsNewToken(EtcdError e) {
        return e == EtcdError.INVALID_AUTH_TOKEN || e == EtcdError.AUTH_OLD_REVISION || e == EtcdError.USER_EMPTY;
    }

    // ---- the rest of Transport

    @Override
    public List<String> endpoints() {
        return config.endpoints();
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
    public Executor callbackExecutor() {
        return callExecutor;
    }

    @Override
    public Duration backoff(int attempt) {
        long base = config.retryBackoff().toNanos();
        long max = config.retryMaxBackoff().toNanos();
        int shift = Math.max(0, Math.min(attempt, 30));
        long d = base << shift;
        return Duration.ofNanos(d <= 0 || d > max ? max : d);
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    ClientConfig config() {
        return config;
    }

    /** The raw channel of the current endpoint, for calls that must bypass the call credentials. */
    Channel currentChannel() {
        return callChannels.get(current.get());
    }

    /** Stops every call, channel and thread; waits (bounded) for them to end. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Call<?> c : running) {
            c.completeExceptionally(new ClientClosedException());
        }
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (ManagedChannel ch : channels) {
                ch.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        scheduler.shutdownNow();
        callExecutor.shutdownNow();
        eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        try {
            scheduler.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            callExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            eventLoop.terminationFuture().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // The executors report termination just before their threads exit: wait for the exits, so
        // that close() returning means no thread of this client runs any more.
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (interrupted || left <= 0) {
                break;
            }
            if (t == Thread.currentThread()) {
                continue; // close() called from a callback: that thread ends once it returns
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Threads of {@code factory}, remembered so that {@link #close()} can wait for them to end. */
    private ThreadFactory owned(ThreadFactory factory) {
        return r -> {
            Thread t = factory.newThread(r);
            threads.removeIf(old -> !old.isAlive());
            threads.add(t);
            return t;
        };
    }

    // ---- helpers

    private static SslContext sslContext(TlsConfig tls) {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (tls != null) {
                if (tls.insecureSkipVerify()) {
                    b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                } else if (tls.trustedCa().isPresent()) {
                    b.trustManager(tls.trustedCa().get().toFile());
                }
                if (tls.certChain().isPresent()) {
                    byte[] key = PemKeys.pkcs8Pem(tls.privateKey().orElseThrow());
                    try (InputStream chain = Files.newInputStream(tls.certChain().get())) {
                        b.keyManager(chain, new ByteArrayInputStream(key));
                    }
                }
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("etcdj: invalid TLS configuration: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("etcdj: cannot read TLS files: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("etcdj: invalid TLS configuration: " + e.getMessage(), e);
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
