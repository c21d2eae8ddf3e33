package dev.etcdj.server.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listeners are bound before the store is recovered (etcd's order): a client connecting in
 * between is accepted, not refused, and is answered once the server serves. A refused gRPC client
 * would back off for a second or more before dialling again.
 */
class ListenBeforeRecoveryTest {

    private static ServerConfig config() {
        return new ServerConfig("default", null, List.of("http://127.0.0.1:0"), List.of("http://127.0.0.1:0"), List.of(),
                List.of("http://localhost:2380"), 128, 1_572_864, 0, Duration.ZERO, Duration.ofMinutes(10), null, 0,
                ServerConfig.Grpc.DEFAULTS, ServerConfig.Auth.DEFAULTS);
    }

    private static Socket connect(String url) throws IOException {
        URI u = URI.create(url);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 10_000);
        return s;
    }

    private static String readAll(Socket s) throws IOException {
        s.setSoTimeout(60_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** True when nothing arrives for a moment (a wrong early answer arrives at once on an idle server). */
    private static boolean silent(Socket s) throws IOException {
        s.setSoTimeout(300);
        try {
            s.getInputStream().read();
            return false; // a byte, or the end of the stream
        } catch (SocketTimeoutException expected) {
            return true; // nothing read: the connection waits
        }
    }

    @Test
    void aConnectionMadeBeforeTheStoreIsReadyIsAnsweredOnceItIs() throws Exception {
        ServerConfig config = config();
        GrpcListeners listeners = GrpcListeners.bind(config);
        ServerCore core = null;
        ManagedChannel channel = null;
        try {
            String client = listeners.endpoints().get(0);
            URI u = URI.create(client);
            channel = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
            var pending = KVGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
            try (Socket health = connect(client); Socket metrics = connect(listeners.metricsEndpoints().get(0))) {
                for (Socket s : List.of(health, metrics)) {
                    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(silent(health)).isTrue();
                assertThat(pending.isDone()).isFalse();

                core = new ServerCore(config);
                core.start();
                listeners.serve(core, List::of);

                assertThat(readAll(health)).startsWith("HTTP/1.1 200 OK").endsWith("{\"health\":\"true\"}");
                assertThat(readAll(metrics)).startsWith("HTTP/1.1 200 OK").endsWith("{\"health\":\"true\"}");
            }
            RangeResponse r = pending.get(60, TimeUnit.SECONDS);
            assertThat(r.getCount()).isZero();
            assertThat(r.getHeader().getRevision()).isEqualTo(1);
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            listeners.close();
            if (core != null) {
                core.close();
            }
        }
    }

    @Test
    void closingBeforeServingClosesTheWaitingConnections() throws Exception {
        GrpcListeners listeners = GrpcListeners.bind(config());
        try (Socket waiting = connect(listeners.endpoints().get(0))) {
            waiting.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(silent(waiting)).isTrue();
            listeners.close();
            String after;
            try {
                after = readAll(waiting);
            } catch (java.net.SocketException reset) {
                after = ""; // closed by a reset: as good as an end of stream
            }
            assertThat(after).isEmpty();
        } finally {
            listeners.close();
        }
    }
}
