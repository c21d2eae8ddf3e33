package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.ClientConfig;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What gRPC hands to the client's pool after close: it must run (on a callback thread), and gRPC
 * must not log a panic. The channel and the threads are closed in TransportState.close's order.
 */
class LateGrpcTasksTest {

    private final Logger grpcLogger = Logger.getLogger("io.grpc");
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ClientThreads threads;
    private ManagedChannel channel;

    @BeforeEach
    void closedChannelAndThreads() throws InterruptedException {
        grpcLogger.addHandler(capture);
        threads = new ClientThreads(ClientConfig.DEFAULT_NETWORK_SPIN.toNanos());
        // Port 1 on loopback: nothing listens, and the channel never needs to connect.
        channel = NettyChannelBuilder.forAddress("127.0.0.1", 1)
                .eventLoopGroup(threads.loopForChannel())
                .channelType(NioSocketChannel.class)
                .executor(threads.grpcExecutor())
                .offloadExecutor(threads.grpcExecutor())
                .usePlaintext()
                .build();
        channel.shutdownNow();
        assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(threads.shutdown(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), false)).isFalse();
    }

    @AfterEach
    void stopCapturing() {
        grpcLogger.removeHandler(capture);
    }

    @Test
    void aStateCallbackRegisteredAfterCloseRunsWithoutAPanic() throws Exception {
        // What ConnectionStates.follow does when it read READY just before the channel shut down.
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        channel.notifyWhenStateChanged(ConnectivityState.READY, () -> ranOn.complete(Thread.currentThread()));
        assertThat(ranOn.get(5, TimeUnit.SECONDS).getName()).startsWith("etcdj-callback");
        assertNoPanic();
    }

    @Test
    void aCallStartedAfterCloseStillEnds() throws Exception {
        CompletableFuture<Status> closed = new CompletableFuture<>();
        ClientCall<RangeRequest, RangeResponse> call = channel.newCall(KVGrpc.getRangeMethod(), CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        assertThat(closed.get(5, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertNoPanic();
    }

    private void assertNoPanic() {
        assertThat(logged)
                .filteredOn(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .extracting(r -> r.getMessage() + " " + r.getThrown())
                .isEmpty();
    }
}
