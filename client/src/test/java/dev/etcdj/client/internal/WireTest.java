package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.Futures;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.InvalidAuthTokenException;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateResponse;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client puts on the wire, seen by a scripted gRPC server in this JVM: metadata
 * (hasleader, token), token renewal, and that cancelling a future cancels the call on the server.
 */
class WireTest {

    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> HAS_LEADER =
            Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    private Server server;
    private final List<Metadata> headers = new CopyOnWriteArrayList<>();
    private final AtomicInteger authentications = new AtomicInteger();
    /** Tokens the server accepts; the test revokes them to simulate expiry. */
    private final List<String> validTokens = new CopyOnWriteArrayList<>();
    private volatile boolean rejectEveryToken;
    private final CountDownLatch hangingCallCancelled = new CountDownLatch(1);
    private final CountDownLatch hangingCallArrived = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        KVGrpc.KVImplBase kv = new KVGrpc.KVImplBase() {
            @Override
            public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
                if (request.getKey().toStringUtf8().equals("hang")) {
                    ((ServerCallStreamObserver<RangeResponse>) out).setOnCancelHandler(hangingCallCancelled::countDown);
                    hangingCallArrived.countDown();
                    return; // never answers
                }
                out.onNext(RangeResponse.newBuilder().setCount(7).build());
                out.onCompleted();
            }
        };
        AuthGrpc.AuthImplBase auth = new AuthGrpc.AuthImplBase() {
            @Override
            public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> out) {
                String token = "tok" + authentications.incrementAndGet();
                validTokens.add(token);
                out.onNext(AuthenticateResponse.newBuilder().setToken(token).build());
                out.onCompleted();
            }
        };
        ServerInterceptor recordAndCheck = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata md,
                                                                ServerCallHandler<Q, R> next) {
                headers.add(md);
                String token = md.get(TOKEN);
                if (token != null && (rejectEveryToken || !validTokens.contains(token))) {
                    call.close(Status.UNAUTHENTICATED.withDescription(EtcdError.INVALID_AUTH_TOKEN.message()),
                            new Metadata());
                    return new ServerCall.Listener<>() {};
                }
                return next.startCall(call, md);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(kv, recordAndCheck))
                .addService(ServerInterceptors.intercept(auth, recordAndCheck))
                .build()
                .start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    @Test
    void requireLeaderSendsHasLeader() {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).requireLeader(true).build()) {
            assertThat(client.kv().blocking().get("k").count()).isEqualTo(7);
        }
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).build()) {
            client.kv().blocking().get("k");
        }
        assertThat(headers.get(0).get(HAS_LEADER)).isEqualTo("true");
        assertThat(headers.get(1).get(HAS_LEADER)).isNull();
    }

    @Test
    void theRequireLeaderViewSendsHasLeaderOnlyOnItsOwnCallsAndComposesWithTheOthers() {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).build()) {
            assertThat(client.kv().withRequireLeader().blocking().get("k").count()).isEqualTo(7);
            client.kv().blocking().get("k");
            client.kv().withTimeout(Duration.ofSeconds(5)).withRequireLeader().blocking().get("k");
            client.kv().blocking().withRequireLeader().withTimeout(Duration.ofSeconds(5)).get("k");
            client.kv().withRequireLeader().withTimeout(Duration.ofSeconds(5)).get("k").join();
            // The stream options of a view carry it too (a watch of the view opens a stream of its own).
            DefaultEtcdClient impl = (DefaultEtcdClient) client;
            assertThat(impl.transport().withRequireLeader().streamCallOptions().getOption(CallSettings.REQUIRE_LEADER))
                    .isTrue();
            assertThat(impl.transport().streamCallOptions().getOption(CallSettings.REQUIRE_LEADER)).isFalse();
        }
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).requireLeader(true).build()) {
            client.kv().withRequireLeader().blocking().get("k");
        }
        // Once per call, also where the client-wide setting sends it already.
        assertThat(headers).extracting(WireTest::hasLeaderValues).containsExactly(1, 0, 1, 1, 1, 1);
    }

    private static int hasLeaderValues(Metadata headers) {
        int n = 0;
        Iterable<String> values = headers.getAll(HAS_LEADER);
        for (String v : values == null ? List.<String>of() : values) {
            assertThat(v).isEqualTo("true");
            n++;
        }
        return n;
    }

    @Test
    void authenticatesOnceLazilyThenSendsTheToken() {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).credentials("u", "p").build()) {
            assertThat(authentications.get()).isZero();
            client.kv().blocking().get("a");
            client.kv().blocking().get("b");
            assertThat(authentications.get()).isEqualTo(1);
            // headers: Authenticate (no token), then both ranges with it
            assertThat(headers).hasSize(3);
            assertThat(headers.get(0).get(TOKEN)).isNull();
            assertThat(headers.get(1).get(TOKEN)).isEqualTo("tok1");
            assertThat(headers.get(2).get(TOKEN)).isEqualTo("tok1");
            // The streams' call options carry the same credentials.
            DefaultEtcdClient impl = (DefaultEtcdClient) client;
            assertThat(impl.transport().streamCallOptions().getCredentials()).isNotNull();
            // Not wait-for-ready: a stream that cannot connect fails with the reason, and is reopened.
            assertThat(impl.transport().streamCallOptions().isWaitForReady()).isFalse();
        }
    }

    @Test
    void anInvalidTokenIsRenewedOnceAndTheCallRetried() {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).credentials("u", "p").build()) {
            client.kv().blocking().get("a");
            validTokens.clear(); // the server forgot every token (expiry, restart)
            assertThat(client.kv().blocking().get("a").count()).isEqualTo(7);
            assertThat(authentications.get()).isEqualTo(2);
            assertThat(headers.get(headers.size() - 1).get(TOKEN)).isEqualTo("tok2");
        }
    }

    @Test
    void aTokenRejectedAgainAfterRenewalFailsTyped() {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).credentials("u", "p").build()) {
            client.kv().blocking().get("a");
            rejectEveryToken = true;
            assertThatThrownBy(() -> client.kv().blocking().get("a")).isInstanceOf(InvalidAuthTokenException.class);
            // One renewal, not a loop.
            assertThat(authentications.get()).isEqualTo(2);
        }
    }

    @Test
    void cancellingTheFutureCancelsTheCallOnTheServer() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).build()) {
            CompletableFuture<GetResponse> f = client.kv().get("hang");
            assertThat(hangingCallArrived.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(unaryInFlight(client)).isEqualTo(1);
            f.cancel(true);
            assertThat(hangingCallCancelled.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(unaryInFlight(client)).isZero();
        }
    }

    @Test
    void aServerThatNeverAnswersEndsAtTheDeadlineAndTheServerHearsOfIt() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).build()) {
            CompletableFuture<GetResponse> f = client.kv().withTimeout(java.time.Duration.ofMillis(200)).get("hang");
            assertThatThrownBy(() -> Futures.await(f)).isInstanceOf(dev.etcdj.client.EtcdTimeoutException.class);
            assertThat(hangingCallCancelled.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(unaryInFlight(client)).isZero();
        }
    }

    /**
     * The count of unary calls on the wire, by which network threads decide whether to poll before
     * sleeping, goes back to zero after answers, refusals, cancels and timeouts (the last two in
     * the tests above): a count that leaked would turn the polling off for good.
     */
    @Test
    void unaryCallsOnTheWireAreCountedUntilEachEnds() {
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoint()).credentials("u", "p").build()) {
            List<CompletableFuture<GetResponse>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(client.kv().get("k" + i));
            }
            calls.forEach(c -> assertThat(c.join().count()).isEqualTo(7));
            assertThat(unaryInFlight(client)).isZero();
            rejectEveryToken = true;
            assertThatThrownBy(() -> client.kv().blocking().get("a")).isInstanceOf(InvalidAuthTokenException.class);
            assertThat(unaryInFlight(client)).isZero();
        }
    }

    private static int unaryInFlight(EtcdClient client) {
        return ((GrpcTransport) ((DefaultEtcdClient) client).transport()).threads().unaryInFlight();
    }
}
