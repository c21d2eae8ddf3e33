package dev.etcdj.server;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtcdServerLifecycleTest {

    private static long etcdjThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("etcdj-")).count();
    }

    @Test
    void startReportsEndpointsAndCloseReleasesEverything() throws Exception {
        EtcdServer s = EtcdServer.builder().inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0", "http://127.0.0.1:0")).build();
        s.start();
        assertThat(s.endpoints()).hasSize(2);
        assertThat(s.endpoint()).startsWith("http://127.0.0.1:");
        assertThat(s.memberId()).isNotZero();
        assertThat(s.clusterId()).isNotZero();
        int port = URI.create(s.endpoint()).getPort();
        assertThat(port).isPositive();
        s.close();
        s.close(); // idempotent
        try (ServerSocket reuse = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(reuse.getLocalPort()).isEqualTo(port);
        }
        ServerTestBase.await(() -> etcdjThreads() == 0, Duration.ofSeconds(10));
    }

    @Test
    void bindFailureThrowsAndCleansUp() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            EtcdServer s = EtcdServer.builder().inMemory()
                    .listenClientUrls(List.of("http://127.0.0.1:" + taken.getLocalPort())).build();
            assertThatThrownBy(s::start).isInstanceOf(java.io.UncheckedIOException.class);
            s.close();
        }
        ServerTestBase.await(() -> etcdjThreads() == 0, Duration.ofSeconds(10));
    }
}
