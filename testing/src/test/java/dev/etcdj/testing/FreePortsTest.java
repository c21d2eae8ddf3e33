package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsAreDistinctAndBindableOnLoopback() throws Exception {
        int[] ports = FreePorts.next(20);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(20);
        for (int port : ports) {
            assertThat(port).isBetween(1, 65535);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void aPortReleasedByItsUserIsStillNeverHandedOutTwice() {
        int first = FreePorts.next();
        for (int i = 0; i < 200; i++) {
            assertThat(FreePorts.next()).isNotEqualTo(first);
        }
    }
}
