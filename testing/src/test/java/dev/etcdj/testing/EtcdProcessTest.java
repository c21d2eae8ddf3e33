package dev.etcdj.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EtcdProcessTest {

    @Test
    void binaryDefaultsToDebiansAndTheSystemPropertyOverridesIt() {
        String saved = System.getProperty("etcd.binary");
        try {
            System.clearProperty("etcd.binary");
            if (System.getenv("ETCD_BINARY") == null) {
                assertThat(EtcdProcess.configuredBinary()).isEqualTo(Path.of("/usr/bin/etcd"));
            }
            System.setProperty("etcd.binary", "/opt/etcd/bin/etcd");
            assertThat(EtcdProcess.configuredBinary()).isEqualTo(Path.of("/opt/etcd/bin/etcd"));
        } finally {
            if (saved == null) {
                System.clearProperty("etcd.binary");
            } else {
                System.setProperty("etcd.binary", saved);
            }
        }
    }

    @Test
    void buildAllocatesDistinctPortsWithoutStartingAnything() {
        try (EtcdProcess a = EtcdProcess.builder().name("a").build();
             EtcdProcess b = EtcdProcess.builder().name("b").build()) {
            assertThat(a.isRunning()).isFalse();
            assertThat(new int[] {a.clientPort(), a.peerPort()})
                    .doesNotContain(b.clientPort(), b.peerPort())
                    .doesNotHaveDuplicates();
            assertThat(a.endpoint()).isEqualTo("http://127.0.0.1:" + a.clientPort());
        }
    }
}
