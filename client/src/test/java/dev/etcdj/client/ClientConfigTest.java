package dev.etcdj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration value: built only by the builder, equal by value, and never showing the password. */
class ClientConfigTest {

    @Test
    void toStringShowsTheSettingsButNeverThePassword() {
        ClientConfig c = EtcdClient.builder().endpoints("127.0.0.1:2379").credentials("alice", "s3cr3t-pw")
                .requestTimeout(Duration.ofSeconds(3)).config();
        assertThat(c.toString()).contains("127.0.0.1:2379", "alice", "PT3S", "password=****")
                .doesNotContain("s3cr3t-pw");
        assertThat(EtcdClient.builder().endpoints("h:1").config().toString()).contains("password=(none)");
    }

    @Test
    void equalByValueAndRebuiltUnchangedFromItsBuilder() {
        ClientConfig a = EtcdClient.builder().endpoints("h:1", "h:2").retry(3, Duration.ofMillis(5), Duration.ofMillis(50))
                .requireLeader(true).config();
        ClientConfig b = EtcdClient.builder().endpoints("h:1", "h:2").retry(3, Duration.ofMillis(5), Duration.ofMillis(50))
                .requireLeader(true).config();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(new ClientBuilder(a).config()).isEqualTo(a);
        assertThat(a).isNotEqualTo(EtcdClient.builder().endpoints("h:1").config());
    }

    @Test
    void incompleteConfigurationsAreRefused() {
        assertThatThrownBy(() -> EtcdClient.builder().config()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void networkThreadsPollBrieflyByDefaultAndZeroTurnsItOff() {
        ClientBuilder b = EtcdClient.builder().endpoints("h:1");
        assertThat(b.config().networkSpin()).isEqualTo(Duration.ofNanos(100_000));
        ClientConfig off = b.networkSpin(Duration.ZERO).config();
        assertThat(off.networkSpin()).isZero();
        assertThat(off).isNotEqualTo(EtcdClient.builder().endpoints("h:1").config());
        assertThat(new ClientBuilder(off).config()).isEqualTo(off);
        assertThat(off.toString()).contains("networkSpin=PT0S");
        assertThatThrownBy(() -> EtcdClient.builder().networkSpin(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdClient.builder().networkSpin(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
