package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.SettableFuture;
import dev.etcdj.client.ClientBuilder;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.EndpointPolicy;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.InvalidAuthTokenException;
import dev.etcdj.client.NoLeaderException;
import dev.etcdj.client.ValueProvidedException;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's retry rules, with scripted call outcomes instead of a server: which failures are
 * retried, on which endpoint, how often, and never past the deadline. The endpoints are never
 * contacted (the scripted calls ignore the channel).
 */
class RetryPolicyTest {

    private GrpcTransport transport;
    private final List<Channel> channelsUsed = new CopyOnWriteArrayList<>();
    private final List<CallOptions> optionsUsed = new CopyOnWriteArrayList<>();

    private GrpcTransport transport(int maxRetries) {
        return transport(maxRetries, EndpointPolicy.roundRobin());
    }

    private GrpcTransport transport(int maxRetries, EndpointPolicy policy) {
        return transport(maxRetries, EtcdClient.builder().endpoints("127.0.0.1:1", "127.0.0.1:2").endpointPolicy(policy));
    }

    /** The transport of {@code config}, retrying up to {@code maxRetries} times with a 1 to 4 ms backoff. */
    private GrpcTransport transport(int maxRetries, ClientBuilder config) {
        transport = new GrpcTransport(config.retry(maxRetries, Duration.ofMillis(1), Duration.ofMillis(4)).config());
        return transport;
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /** The call fails with {@code type} after {@code tries} tries (one channel each). */
    private void assertFailsAfterTries(GrpcTransport t, boolean idempotent, Transport.UnaryCall<String> call,
            Class<? extends Throwable> type, int tries) {
        assertThatThrownBy(t.unary(null, idempotent, call)::join).hasCauseInstanceOf(type);
        assertThat(channelsUsed).hasSize(tries);
    }

    /** A call that fails with the status; when {@code sent}, it first got a stream on a connection and wrote its headers. */
    private Transport.UnaryCall<String> failing(Status status, boolean sent) {
        return failing(status, sent, sent);
    }

    /**
     * A call that fails with the status; when {@code created}, it first got a stream on a connection,
     * and when {@code written} too, its headers went out.
     */
    private Transport.UnaryCall<String> failing(Status status, boolean created, boolean written) {
        return (ch, opts) -> {
            channelsUsed.add(ch);
            optionsUsed.add(opts);
            if (created) {
                Metadata md = new Metadata();
                ClientStreamTracer.StreamInfo info = ClientStreamTracer.StreamInfo.newBuilder()
                        .setCallOptions(opts).build();
                for (ClientStreamTracer.Factory f : opts.getStreamTracerFactories()) {
                    ClientStreamTracer tracer = f.newClientStreamTracer(info, md);
                    tracer.streamCreated(Attributes.EMPTY, md);
                    if (written) {
                        tracer.outboundHeaders();
                    }
                }
            }
            return Futures.immediateFailedFuture(status.asRuntimeException());
        };
    }

    private static final Status UNAVAILABLE = Status.UNAVAILABLE.withDescription("io exception");

    @Test
    void readsAreRetriedOnUnavailableRoundRobin() {
        CompletableFuture<String> f = transport(3).unary(null, true, failing(UNAVAILABLE, true));
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class);
        assertThat(channelsUsed).hasSize(4);
        assertThat(channelsUsed.get(0)).isNotSameAs(channelsUsed.get(1));
        assertThat(channelsUsed.get(0)).isSameAs(channelsUsed.get(2));
    }

    @Test
    void writesThatMayHaveReachedAServerAreNotRetried() {
        CompletableFuture<String> f = transport(3).unary(null, false, failing(UNAVAILABLE, true));
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class);
        assertThat(channelsUsed).hasSize(1);
    }

    /** What gRPC's own transparent retry replayed, before it was turned off: streams the server surely never ran. */
    @Test
    void writesTheServerSurelyNeverRanAreRetried() {
        // The stream was created but its headers never went out (grpc-java's "miscarried").
        assertFailsAfterTries(transport(3), false, failing(Status.UNAVAILABLE.withDescription("GOAWAY closed buffered stream"),
                true, false), EtcdUnavailableException.class, 4);
        transport.close();
        channelsUsed.clear();
        // Written, then refused by the server ("refused").
        assertFailsAfterTries(transport(3), false, failing(Status.UNAVAILABLE.withDescription(
                "Abrupt GOAWAY closed unsent stream. HTTP/2 error code: NO_ERROR"), true, true),
                EtcdUnavailableException.class, 4);
        transport.close();
        channelsUsed.clear();
        assertFailsAfterTries(transport(3), false, failing(Status.UNAVAILABLE.withDescription(
                "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM"), true, true),
                EtcdUnavailableException.class, 4);
        transport.close();
        channelsUsed.clear();
        // A GOAWAY that may have come after the server took the stream: not again.
        assertFailsAfterTries(transport(3), false, failing(Status.UNAVAILABLE.withDescription(
                "Abrupt GOAWAY closed sent stream. HTTP/2 error code: NO_ERROR"), true, true),
                EtcdUnavailableException.class, 1);
    }

    @Test
    void writesThatNeverGotAConnectionAreRetriedAndTheFailureNamesTheEndpoints() {
        CompletableFuture<String> f = transport(3).unary(null, false, failing(UNAVAILABLE, false));
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class)
                .cause().hasMessageContaining("127.0.0.1:1").hasMessageContaining("127.0.0.1:2")
                .hasMessageContaining("io exception");
        assertThat(channelsUsed).hasSize(4);
    }

    @Test
    void aWriteSucceedsOnTheNextEndpointAfterAConnectFailureAndAPinnedClientStaysThere() {
        GrpcTransport t = transport(3, EndpointPolicy.pinned());
        CompletableFuture<String> f = t.unary(null, false, (ch, opts) -> {
            channelsUsed.add(ch);
            return channelsUsed.size() == 1 ? Futures.immediateFailedFuture(UNAVAILABLE.asRuntimeException())
                    : Futures.immediateFuture("ok");
        });
        assertThat(f.join()).isEqualTo("ok");
        assertThat(channelsUsed.get(1)).isNotSameAs(channelsUsed.get(0));
        assertThat(t.streamChannel()).isSameAs(channelsUsed.get(1));
    }

    @Test
    void aMembersUnavailableAnswerIsAskedOfEveryOtherMemberOnceAndKeepsItsType() {
        Status noLeader = Status.UNAVAILABLE.withDescription(EtcdError.NO_LEADER.message());
        assertFailsAfterTries(transport(5), true, failing(noLeader, true), NoLeaderException.class, 2);
        assertThat(channelsUsed.get(0)).isNotSameAs(channelsUsed.get(1));
    }

    @Test
    void withOneEndpointAMembersUnavailableAnswerFailsAtOnce() {
        transport = new GrpcTransport(EtcdClient.builder().endpoints("127.0.0.1:1")
                .retry(5, Duration.ofMillis(1), Duration.ofMillis(4)).config());
        Status stopped = Status.UNAVAILABLE.withDescription(EtcdError.STOPPED.message());
        assertThatThrownBy(transport.unary(null, true, failing(stopped, true))::join)
                .hasCauseInstanceOf(EtcdUnavailableException.class);
        assertThat(channelsUsed).hasSize(1);
    }

    @Test
    void otherErrorsAreNeverRetried() {
        Status valueProvided = Status.INVALID_ARGUMENT.withDescription(EtcdError.VALUE_PROVIDED.message());
        assertFailsAfterTries(transport(3), true, failing(valueProvided, true), ValueProvidedException.class, 1);
    }

    @Test
    void invalidTokenWithoutCredentialsIsNotRetried() {
        Status invalid = Status.UNAUTHENTICATED.withDescription(EtcdError.INVALID_AUTH_TOKEN.message());
        assertFailsAfterTries(transport(3), true, failing(invalid, true), InvalidAuthTokenException.class, 1);
    }

    @Test
    void noAttemptStartsAfterTheCallsDeadlineAndRetriesStopAtIt() {
        GrpcTransport t = new GrpcTransport(EtcdClient.builder()
                .endpoints("127.0.0.1:1")
                .retry(1000, Duration.ofMillis(20), Duration.ofMillis(20))
                .config());
        transport = t;
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        Transport.UnaryCall<String> call = failing(UNAVAILABLE, true);
        CompletableFuture<String> f = t.unary(Duration.ofMillis(300), true, (ch, opts) -> {
            startedAt.add(System.nanoTime());
            return call.start(ch, opts);
        });
        long deadlineAtLatest = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        // The retry budget (1000) is far from used up: the deadline is what ends the retries.
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class);
        // The deadline is the call's own timer, not gRPC's: no grpc-timeout header, different in
        // every call, for HPACK to add to the connection's table on both sides.
        assertThat(optionsUsed).allSatisfy(o -> assertThat(o.getDeadline()).isNull());
        // No attempt starts after the call's one deadline: retries never extend it. With at least
        // 20 ms between attempts, at most 300 / 20 + 1 fit in: however slow the machine, more
        // would mean attempts past the deadline.
        assertThat(startedAt).allSatisfy(s -> assertThat(s).isLessThan(deadlineAtLatest));
        assertThat(optionsUsed).hasSizeBetween(1, 16);
    }

    /**
     * What grpc-java 1.83 (netty Utils.statusFromThrowable) makes of a write to a connection that
     * closed under it, e.g. when the member is killed: UNKNOWN "channel closed" with a
     * ClosedChannelException as cause (UNAVAILABLE when that exception has a cause of its own).
     */
    private static final Status CHANNEL_CLOSED = Status.UNKNOWN.withDescription("channel closed")
            .withCause(new java.nio.channels.ClosedChannelException());

    @Test
    void aReadOnAConnectionThatClosedIsRetriedElsewhereAndFailsAsUnavailable() {
        CompletableFuture<String> f = transport(3).unary(null, true, failing(CHANNEL_CLOSED, true));
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class)
                .cause().hasMessageContaining("channel closed");
        assertThat(channelsUsed).hasSize(4);
        assertThat(channelsUsed.get(0)).isNotSameAs(channelsUsed.get(1));
    }

    @Test
    void aReadSucceedsOnTheNextEndpointAfterItsConnectionClosed() {
        GrpcTransport t = transport(3);
        CompletableFuture<String> f = t.unary(null, true, (ch, opts) -> {
            channelsUsed.add(ch);
            return channelsUsed.size() == 1 ? Futures.immediateFailedFuture(CHANNEL_CLOSED.asRuntimeException())
                    : Futures.immediateFuture("ok");
        });
        assertThat(f.join()).isEqualTo("ok");
        assertThat(channelsUsed).hasSize(2);
        assertThat(channelsUsed.get(1)).isNotSameAs(channelsUsed.get(0));
    }

    @Test
    void aWriteOnAConnectionThatClosedIsRetriedOnlyIfItNeverGotAStream() {
        assertFailsAfterTries(transport(3), false, failing(CHANNEL_CLOSED, true), EtcdUnavailableException.class, 1);
        transport.close();
        channelsUsed.clear();
        assertFailsAfterTries(transport(3), false, failing(CHANNEL_CLOSED, false), EtcdUnavailableException.class, 4);
    }

    @Test
    void anAttemptStillOpenAtTheDeadlineIsCancelledAndTheCallTimesOut() {
        SettableFuture<String> never = SettableFuture.create();
        CompletableFuture<String> f = transport(3).unary(Duration.ofMillis(100), true, (ch, opts) -> never);
        assertThatThrownBy(f::join).cause().isInstanceOf(EtcdTimeoutException.class)
                .hasMessage("context deadline exceeded");
        assertThat(never.isCancelled()).isTrue();
    }

    @Test
    void theServersContextCanceledIsACancelBeforeOurDeadlineAndATimeoutAfterIt() {
        Status canceled = Status.UNKNOWN.withDescription("context canceled");
        assertThatThrownBy(transport(3).unary(null, true, failing(canceled, true))::join).cause()
                .isExactlyInstanceOf(dev.etcdj.client.EtcdException.class)
                .hasMessage("context canceled")
                .satisfies(e -> assertThat(((dev.etcdj.client.EtcdException) e).code())
                        .isEqualTo(dev.etcdj.client.EtcdException.Code.CANCELLED));
        assertThat(channelsUsed).hasSize(1);

        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            // The answer arrives once the call's deadline has passed (or our timer ends it first).
            CompletableFuture<String> late = transport.unary(Duration.ofMillis(50), true, (ch, opts) -> {
                SettableFuture<String> answer = SettableFuture.create();
                timer.schedule(() -> answer.setException(canceled.asRuntimeException()), 60, TimeUnit.MILLISECONDS);
                return answer;
            });
            assertThatThrownBy(late::join).cause().isInstanceOf(EtcdTimeoutException.class)
                    .hasMessage("context deadline exceeded");
        } finally {
            timer.shutdownNow();
        }
    }

    /** What grpc-java reports when the server's TLS stack refuses our client certificate. */
    private static final Status BAD_CERTIFICATE = Status.UNAVAILABLE.withDescription("ssl exception")
            .withCause(new javax.net.ssl.SSLException(
                    "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE"));

    @Test
    void certificateFailuresOnEveryEndpointFailAtOnceSayingWhy() {
        transport(1000, EtcdClient.builder().endpoints("https://127.0.0.1:1", "https://127.0.0.1:2")
                .dialTimeout(Duration.ofSeconds(60)));
        // A write whose request went out before the server ended the handshake (TLS 1.3): the
        // server never read it, so it may move on to the next endpoint.
        CompletableFuture<String> f = transport.unary(null, false, failing(BAD_CERTIFICATE, true));
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class)
                .cause().hasMessageContaining("TLS handshake with https://127.0.0.1:1 failed")
                .hasMessageContaining("TLS handshake with https://127.0.0.1:2 failed")
                .hasMessageContaining("client certificate and none is configured (bad certificate)")
                .hasMessageNotContaining("within")
                .hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
        // One try per endpoint, not a thousand until the dial timeout.
        assertThat(channelsUsed).hasSize(2);
        assertThat(channelsUsed.get(0)).isNotSameAs(channelsUsed.get(1));
    }

    @Test
    void otherConnectFailuresAreRetriedAndTheRealFailureIsKeptOverTheDialTimersCancel() {
        transport(1000, EtcdClient.builder().endpoints("127.0.0.1:1", "127.0.0.1:2")
                .dialTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofSeconds(30)));
        Status refused = Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new java.net.ConnectException("Connection refused: /127.0.0.1:1"));
        // The first attempt is refused; the next ones hang until the dial timer cancels them.
        CompletableFuture<String> f = transport.unary(null, true, (ch, opts) -> {
            channelsUsed.add(ch);
            return channelsUsed.size() == 1 ? Futures.immediateFailedFuture(refused.asRuntimeException())
                    : SettableFuture.create();
        });
        assertThatThrownBy(f::join).hasCauseInstanceOf(EtcdUnavailableException.class)
                .cause().hasMessageContaining("within 200 ms")
                .hasMessageContaining("127.0.0.1:1 refused the connection (Connection refused: /127.0.0.1:1)")
                .hasMessageNotContaining("cancel").hasMessageNotContaining("in time")
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
        assertThat(channelsUsed).hasSizeGreaterThan(1);
    }

    @Test
    void deadlineExpiryIsATimeoutAndNotRetried() {
        Status expired = Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 1s");
        assertFailsAfterTries(transport(3), true, failing(expired, true), EtcdTimeoutException.class, 1);
        transport.close();
        channelsUsed.clear();
        // The server's own copy of our deadline expiring first: etcd 3.4 answers codes.Unknown with
        // Go's context error.
        Status serverDeadline = Status.UNKNOWN.withDescription("context deadline exceeded");
        assertFailsAfterTries(transport(3), true, failing(serverDeadline, true), EtcdTimeoutException.class, 1);
    }

    @Test
    void cancellingTheFutureCancelsTheGrpcCall() {
        SettableFuture<String> grpcCall = SettableFuture.create();
        CompletableFuture<String> f = transport(3).unary(null, true, (ch, opts) -> grpcCall);
        assertThat(f.cancel(true)).isTrue();
        assertThat(grpcCall.isCancelled()).isTrue();
    }

    @Test
    void closeFailsRunningCallsAndCancelsThem() {
        SettableFuture<String> grpcCall = SettableFuture.create();
        CompletableFuture<String> f = transport(3).unary(null, true, (ch, opts) -> grpcCall);
        transport.close();
        assertThatThrownBy(f::join).hasCauseInstanceOf(ClientClosedException.class);
        assertThat(grpcCall.isCancelled()).isTrue();
    }

    @Test
    void aCallThatThrowsWhileStartingFailsTyped() {
        CompletableFuture<String> f = transport(3).unary(null, true, (ch, opts) -> {
            throw Status.INTERNAL.withDescription("bad").asRuntimeException();
        });
        assertThatThrownBy(f::join).cause().hasMessage("bad");
    }

    @Test
    void unaryOnStaysOnItsEndpointAndRetriesOnlyWhatNeverReachedIt() {
        GrpcTransport t = transport(3);
        assertThatThrownBy(t.unaryOn("127.0.0.1:2", null, failing(UNAVAILABLE, false))::join)
                .hasCauseInstanceOf(EtcdUnavailableException.class)
                .cause().hasMessageContaining("127.0.0.1:2").hasMessageNotContaining("127.0.0.1:1");
        assertThat(channelsUsed).hasSize(4).allMatch(ch -> ch == channelsUsed.get(0));
        channelsUsed.clear();
        assertThatThrownBy(t.unaryOn("127.0.0.1:2", null, failing(UNAVAILABLE, true))::join)
                .hasCauseInstanceOf(EtcdUnavailableException.class);
        assertThat(channelsUsed).hasSize(1);
        // The shared current endpoint did not move.
        assertThat(t.streamChannel()).isNotSameAs(channelsUsed.get(0));
    }

    @Test
    void unaryOnAnEndpointOfNoneOfTheClientsGetsAChannelOfItsOwnAsGoDialDoes() {
        GrpcTransport t = transport(0);
        assertThatThrownBy(t.unaryOn("127.0.0.1:9", null, failing(UNAVAILABLE, false))::join)
                .cause().isInstanceOf(EtcdUnavailableException.class).hasMessageContaining("127.0.0.1:9");
        assertThat(channelsUsed).hasSize(1);
        assertThat(t.endpointOf(channelsUsed.get(0))).isEqualTo("127.0.0.1:9");
        assertThat(t.endpoints()).containsExactly("127.0.0.1:1", "127.0.0.1:2");
        // The same spelling again reuses that channel.
        assertThatThrownBy(t.unaryOn("http://127.0.0.1:9", null, failing(UNAVAILABLE, false))::join);
        assertThat(channelsUsed).hasSize(2).allMatch(ch -> ch == channelsUsed.get(0));
        assertThatThrownBy(t.unaryOn("127.0.0.1:x", null, failing(UNAVAILABLE, false))::join)
                .cause().isInstanceOf(dev.etcdj.client.InvalidEndpointException.class);
    }

    @Test
    void callsOfARoundRobinClientTakeTurnsOverItsEndpoints() {
        GrpcTransport t = transport(0);
        for (int i = 0; i < 4; i++) {
            t.unary(null, true, (ch, opts) -> {
                channelsUsed.add(ch);
                return Futures.immediateFuture("ok");
            }).join();
        }
        assertThat(channelsUsed.get(0)).isNotSameAs(channelsUsed.get(1));
        assertThat(channelsUsed.get(0)).isSameAs(channelsUsed.get(2));
        assertThat(channelsUsed.get(1)).isSameAs(channelsUsed.get(3));
    }
}
