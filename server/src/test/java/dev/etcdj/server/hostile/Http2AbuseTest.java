package dev.etcdj.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.WatchCreateRequest;
import dev.etcdj.proto.etcdserverpb.WatchRequest;
import dev.etcdj.server.EtcdServer;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 abuse through a raw socket while another, well-behaved client keeps using the server:
 * broken gRPC framing, frames over the size limit, an RST_STREAM flood, thousands of open streams,
 * and a watch client that never reads while 64 MiB of matching writes go by.
 */
class Http2AbuseTest {
    private EtcdServer server;
    private int port;
    private ManagedChannel other;
    private KVGrpc.KVBlockingStub kv;

    @BeforeEach
    void start() {
        server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build();
        server.start();
        port = URI.create(server.endpoint()).getPort();
        other = WireFuzzTest.channel(server);
        kv = KVGrpc.newBlockingStub(other);
    }

    @AfterEach
    void stop() {
        other.shutdownNow();
        server.close();
    }

    /** The well-behaved client still gets answers promptly. */
    private void otherClientServed() {
        kv.withDeadlineAfter(5, TimeUnit.SECONDS).put(PutRequest.newBuilder().setKey(bs("other")).setValue(bs("v")).build());
        kv.withDeadlineAfter(5, TimeUnit.SECONDS).range(RangeRequest.newBuilder().setKey(bs("other")).build());
    }

    @Test
    void brokenGrpcFramingGetsAStatusAndTheConnectionStays() throws Exception {
        try (RawH2 h2 = new RawH2(port, 65_535)) {
            h2.headers(1, "/etcdserverpb.KV/Range", false);
            h2.grpcMessage(1, new byte[10], 0x7fff_ffffL, true);    // announces 2 GiB, sends 10 bytes
            h2.headers(3, "/etcdserverpb.KV/Range", false);
            h2.grpcMessage(3, new byte[10], 100, true);             // announces 100, sends 10: truncated
            h2.headers(5, "/etcdserverpb.KV/Range", false);
            h2.grpcMessage(5, new byte[] {(byte) 0xff, (byte) 0xff}, 2, true); // bad protobuf
            h2.headers(7, "/etcdserverpb.KV/Range", false);
            byte[] ok = RangeRequest.newBuilder().setKey(bs("k")).build().toByteArray();
            h2.grpcMessage(7, ok, ok.length, true);                 // a valid request on the same connection
            h2.headers(9, "/etcdserverpb.KV/NoSuchMethod", true);
            h2.headers(11, "/etcdserverpb.KV/Put", false);
            h2.grpcMessage(11, new byte[10], 8 << 20, false);       // announces 8 MiB and waits: no buffering
            awaitTrue(() -> h2.status.keySet().containsAll(List.of(1, 3, 5, 7, 9, 11)), "a status for every stream");
            System.out.println("broken gRPC framing: statuses " + h2.status + " messages " + h2.message);
            assertThat(h2.status.get(1)).isEqualTo("8");  // RESOURCE_EXHAUSTED, before reading 2 GiB
            assertThat(h2.status.get(3)).isEqualTo("13"); // INTERNAL: half-closed mid-message
            assertThat(h2.status.get(5)).isEqualTo("13"); // INTERNAL: grpc: error unmarshalling request
            assertThat(h2.message.get(5)).startsWith("grpc: error unmarshalling request");
            assertThat(h2.status.get(7)).isEqualTo("0");
            assertThat(h2.status.get(9)).isEqualTo("12"); // UNIMPLEMENTED
            assertThat(h2.status.get(11)).isEqualTo("8"); // refused from the prefix, the body never awaited
            assertThat(h2.message.values()).allSatisfy(m -> assertThat(m).isNotNull());
        }
        otherClientServed();
    }

    @Test
    void framesOverTheSizeLimitAndTruncatedFramesEndOnlyThatConnection() throws Exception {
        try (RawH2 h2 = new RawH2(port, 65_535)) {
            h2.headers(1, "/etcdserverpb.KV/Range", false);
            h2.frame(RawH2.DATA, 0, 1, new byte[20_000]); // SETTINGS_MAX_FRAME_SIZE is 16,384
            assertThat(h2.closed.await(10, TimeUnit.SECONDS)).as("connection closed").isTrue();
            // GOAWAY FRAME_SIZE_ERROR, when it reaches us before the close (unread input can reset the socket)
            assertThat(h2.goAwayError).isIn(null, 6);
        }
        try (RawH2 h2 = new RawH2(port, 65_535)) {
            h2.headers(1, "/etcdserverpb.KV/Range", false);
            h2.frame(RawH2.DATA, 0, 1, new byte[10], 1000); // announces 1000 bytes, sends 10, hangs up
        }
        otherClientServed();
    }

    @Test
    void anRstStreamFloodClosesThatConnectionOnly() throws Exception {
        try (RawH2 h2 = new RawH2(port, 65_535)) {
            int sent = 0;
            for (int s = 1; s < 40_000 && h2.closed.getCount() > 0; s += 2) {
                h2.headers(s, "/etcdserverpb.Watch/Watch", false);
                h2.rst(s);
                sent++;
            }
            assertThat(h2.closed.await(10, TimeUnit.SECONDS)).as("the flooding connection is closed").isTrue();
            System.out.println("RST_STREAM flood: connection closed after " + sent + " resets, GOAWAY " + h2.goAwayError);
            assertThat(h2.goAwayError).as("GOAWAY ENHANCE_YOUR_CALM").isEqualTo(11);
        } catch (java.net.SocketException closedWhileSending) {
            System.out.println("RST_STREAM flood: connection closed by the server while sending");
        }
        otherClientServed();
    }

    @Test
    void thousandsOfOpenStreamsDoNotStopOtherClients() throws Exception {
        try (RawH2 h2 = new RawH2(port, 65_535)) {
            byte[] create = watchCreate("open/");
            for (int s = 1; s < 2 * 3000; s += 2) {
                h2.headers(s, "/etcdserverpb.Watch/Watch", false);
                h2.grpcMessage(s, create, create.length, false);
            }
            otherClientServed();
            assertThat(h2.closed.getCount()).as("well-formed streams are not refused").isEqualTo(1);
        }
        otherClientServed();
    }

    @Test
    void aWatchClientThatNeverReadsKeepsServerMemoryBounded() throws Exception {
        long before = usedHeapAfterGc();
        byte[] value = new byte[64 * 1024];
        try (RawH2 h2 = new RawH2(port, 65_535)) {
            byte[] create = watchCreate("w/");
            h2.headers(1, "/etcdserverpb.Watch/Watch", false);
            h2.grpcMessage(1, create, create.length, false);
            awaitTrue(() -> h2.dataBytes.get() > 0, "watch created"); // the created response
            long t0 = System.nanoTime();
            for (int i = 0; i < 1024; i++) { // 64 MiB of events the client never reads
                kv.withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder().setKey(bs("w/" + (i % 64)))
                        .setValue(ByteString.copyFrom(value)).build());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            long after = usedHeapAfterGc();
            System.out.printf("non-reading watcher: 64 MiB written in %d ms; heap used %d MiB before, %d MiB after;"
                    + " client received %d bytes%n", took.toMillis(), before >> 20, after >> 20, h2.dataBytes.get());
            assertThat(after - before).as("heap growth while a watcher does not read").isLessThan(48L << 20);
            otherClientServed();
        }
    }

    private static byte[] watchCreate(String prefix) {
        return WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bs(prefix))
                .setRangeEnd(bs(prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1))))
                .build().toByteArray();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20); // the raw client's reader thread has no callback to wait on
        }
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
