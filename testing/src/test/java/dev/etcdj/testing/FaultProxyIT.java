package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw sockets, so the test sees exactly what a client sees on one connection. */
class FaultProxyIT {
    private static EtcdProcess etcd;
    private FaultProxy proxy;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.builder().build();
        etcd.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start(etcd.endpoint());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    @Test
    void forwardsHttp() {
        assertThat(proxy.endpoint()).startsWith("http://127.0.0.1:").isNotEqualTo(etcd.endpoint());
        assertThat(EtcdHttp.healthy(proxy.endpoint(), Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void dropConnectionsKillsOpenConnectionsButNotTheNextOnes() throws Exception {
        try (Socket socket = connect()) {
            assertThat(healthOver(socket)).contains("\"health\":\"true\"");
            awaitConnections(1);

            proxy.dropConnections();

            // The same keep-alive connection is dead: EOF or reset, never another answer.
            assertThatThrownBy(() -> {
                String answer = healthOver(socket);
                throw new IOException("no error, got: " + answer);
            }).isInstanceOf(IOException.class).hasMessageNotContaining("got:");
        }
        assertThat(proxy.activeConnections()).isZero();
        try (Socket fresh = connect()) {
            assertThat(healthOver(fresh)).contains("\"health\":\"true\"");
        }
    }

    @Test
    void blackholeHoldsTrafficUntilLifted() throws Exception {
        try (Socket socket = connect()) {
            proxy.blackhole(true);
            assertHealthHeldUntilLifted(socket);
        }
    }

    /** A health request on {@code socket} gets no answer while the proxy holds it, and its answer once lifted. */
    private void assertHealthHeldUntilLifted(Socket socket) throws Exception {
        socket.setSoTimeout(700);
        sendHealthRequest(socket);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        proxy.blackhole(false);
        socket.setSoTimeout(5_000);
        assertThat(readResponse(socket.getInputStream())).contains("\"health\":\"true\"");
    }

    @Test
    void oneWayBlackholeDeliversRequestsButNotAnswers() throws Exception {
        try (Socket socket = connect()) {
            proxy.blackhole(FaultProxy.Direction.TO_CLIENT);
            socket.setSoTimeout(700);
            String body = "{\"key\":\"" + TestHttp.b64("one-way") + "\",\"value\":\"" + TestHttp.b64("landed") + "\"}";
            socket.getOutputStream().write(("POST /v3/kv/put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // The put reaches etcd (seen directly), its answer does not reach the client.
            Await.until(Duration.ofSeconds(10), "put through a one-way partition lands",
                    () -> uncheckedGet("one-way").contains(TestHttp.b64("landed")));
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.blackhole(false);
            socket.setSoTimeout(5_000);
            assertThat(readResponse(socket.getInputStream())).contains("\"revision\"");
        }
        try (Socket socket = connect()) {
            proxy.blackhole(FaultProxy.Direction.TO_UPSTREAM);
            assertHealthHeldUntilLifted(socket);
        }
    }

    @Test
    void blackholeFromHoldsOnlyTheNamedSendersConnections() throws Exception {
        proxy.blackholeFrom("a1b2", FaultProxy.Direction.TO_CLIENT);
        try (Socket held = connect(); Socket other = connect(); Socket anonymous = connect()) {
            held.setSoTimeout(700);
            sendHealthRequest(held, "X-Server-From: a1b2\r\n");
            assertThatThrownBy(() -> held.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            other.setSoTimeout(5_000);
            sendHealthRequest(other, "x-server-from: ffff\r\n");
            assertThat(readResponse(other.getInputStream())).contains("\"health\":\"true\"");
            assertThat(healthOver(anonymous)).contains("\"health\":\"true\"");
            assertThat(proxy.isBlackholed()).isTrue();

            proxy.blackhole(false);
            held.setSoTimeout(5_000);
            assertThat(readResponse(held.getInputStream())).contains("\"health\":\"true\"");
            assertThat(proxy.isBlackholed()).isFalse();
        }
    }

    @Test
    void delayHoldsEveryChunk() throws Exception {
        proxy.delay(Duration.ofMillis(300));
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertThat(healthOver(socket)).contains("\"health\":\"true\"");
            // At least one chunk each way, each held 300 ms.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
        proxy.delay(Duration.ZERO);
    }

    private static String uncheckedGet(String key) {
        try {
            return TestHttp.get(etcd.endpoint(), key);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Test
    void upstreamDownMeansConnectionsDieAndComeBackWithIt() throws Exception {
        etcd.kill();
        try {
            assertThat(EtcdHttp.healthy(proxy.endpoint(), Duration.ofSeconds(1))).isFalse();
        } finally {
            etcd.start();
        }
        assertThat(EtcdHttp.healthy(proxy.endpoint(), Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void closeStopsListening() {
        int port = proxy.port();
        proxy.close();
        proxy.close(); // idempotent
        assertThat(portIsFree(port)).as("port %d is free after close", port).isTrue();
    }

    /**
     * Binding the port proves nobody listens on it. A connect attempt does not: the closed port is in
     * the ephemeral range, where Linux can pick it as the probe's own source port and connect the
     * socket to itself.
     */
    private static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Socket connect() throws IOException {
        URI uri = URI.create(proxy.endpoint());
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private void awaitConnections(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.activeConnections() != n) {
            assertThat(System.nanoTime() - deadline).as("connections through proxy").isNegative();
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private static String healthOver(Socket socket) throws IOException {
        sendHealthRequest(socket);
        return readResponse(socket.getInputStream());
    }

    private static void sendHealthRequest(Socket socket) throws IOException {
        sendHealthRequest(socket, "");
    }

    private static void sendHealthRequest(Socket socket, String extraHeaders) throws IOException {
        socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; EOF before it ends is an error. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = headers.lines()
                .filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim()))
                .findFirst().orElseThrow(() -> new IOException("no content-length in " + headers));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed mid-body");
        }
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
