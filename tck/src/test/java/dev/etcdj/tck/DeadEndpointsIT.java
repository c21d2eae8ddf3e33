package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client with no etcd to talk to: endpoints that refuse, or accept and never speak, fail with
 * {@link EtcdUnavailableException} within the dial timeout, naming every endpoint. No target is
 * involved, so this runs once rather than per target ({@link ResilienceContract} has the rest).
 */
class DeadEndpointsIT {

    /** A loopback port nobody listens on: bound by the kernel's choice, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void onlyDeadEndpointsFailWithUnavailableWithinTheDialTimeout() throws IOException {
        String dead1 = "127.0.0.1:" + closedPort();
        String dead2 = "127.0.0.1:" + closedPort();
        try (EtcdClient client = EtcdClient.builder().endpoints(dead1, dead2)
                .dialTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(20))
                .retry(1000, Duration.ofMillis(10), Duration.ofMillis(50))
                .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.kv().blocking().put("k", "v"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining(dead1).hasMessageContaining(dead2);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isBetween(900L, 3000L);
        }
    }

    @Test
    void aServerThatAcceptsButNeverSpeaksFailsWithinTheDialTimeout() throws IOException {
        // The kernel completes the TCP handshake, nothing answers HTTP/2: the channel never gets READY.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             EtcdClient client = EtcdClient.builder().endpoints("127.0.0.1:" + silent.getLocalPort())
                     .dialTimeout(Duration.ofSeconds(1))
                     .requestTimeout(Duration.ofSeconds(20))
                     .build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.kv().blocking().get("k"))
                    .isInstanceOf(EtcdUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ms).isBetween(900L, 3000L);
        }
    }
}
