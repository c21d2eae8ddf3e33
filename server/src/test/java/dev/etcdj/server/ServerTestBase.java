package dev.etcdj.server;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.PutResponse;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Starts an in-memory server on a free loopback port and gives stubs to it. */
abstract class ServerTestBase {
    protected EtcdServer server;
    protected ManagedChannel channel;
    protected KVGrpc.KVBlockingStub kv;
    protected LeaseGrpc.LeaseBlockingStub lease;
    protected MaintenanceGrpc.MaintenanceBlockingStub maintenance;
    protected WatchGrpc.WatchStub watch;

    protected EtcdServer.Builder configure(EtcdServer.Builder b) {
        return b;
    }

    @BeforeEach
    void startServer() throws Exception {
        server = configure(EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0"))).build();
        server.start();
        connect();
    }

    protected void connect() {
        URI u = URI.create(server.endpoint());
        channel = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
        kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        maintenance = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        watch = WatchGrpc.newStub(channel);
    }

    protected void disconnect() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (channel != null) {
            disconnect();
        }
        if (server != null) {
            server.close();
        }
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static String str(ByteString b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    protected PutResponse put(String k, String v) {
        return kv.put(PutRequest.newBuilder().setKey(bs(k)).setValue(bs(v)).build());
    }

    protected RangeResponse get(String k) {
        return kv.range(RangeRequest.newBuilder().setKey(bs(k)).build());
    }

    protected long rev() {
        return get("\0").getHeader().getRevision();
    }

    /** Asserts the call fails with etcd's exact status code and message. */
    static void assertEtcdError(ThrowableAssert.ThrowingCallable call, Status.Code code, String message) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected " + message).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).isEqualTo(message);
    }

    /** Polls {@code cond} until it holds; fails after {@code timeout}. */
    static void await(BooleanSupplier cond, Duration timeout) throws InterruptedException {
        try {
            await(timeout, "condition", cond::getAsBoolean);
        } catch (InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // a BooleanSupplier throws no checked exception
        }
    }

    /** {@link TestAwait#until}: polls {@code cond} until it holds; fails naming {@code what} after {@code timeout}. */
    static void await(Duration timeout, String what, Callable<Boolean> cond) throws Exception {
        TestAwait.until(timeout, what, cond);
    }

    /** An observer that queues every response and ignores the end of the stream. */
    static <T> StreamObserver<T> collect(BlockingQueue<T> q) {
        return collect(q, call -> { });
    }

    /** The same, handing the call to {@code beforeStart} first (e.g. to turn off automatic flow control). */
    static <Q, T> ClientResponseObserver<Q, T> collect(BlockingQueue<T> q,
            Consumer<ClientCallStreamObserver<Q>> beforeStart) {
        return new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Q> call) {
                beforeStart.accept(call);
            }

            @Override
            public void onNext(T value) {
                q.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
