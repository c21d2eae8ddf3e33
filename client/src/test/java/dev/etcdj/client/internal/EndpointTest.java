package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void hostPortWithoutScheme() {
        Endpoint e = Endpoint.parse("127.0.0.1:2379");
        assertThat(e.host()).isEqualTo("127.0.0.1");
        assertThat(e.port()).isEqualTo(2379);
        assertThat(e.tls()).isEmpty();
        assertThat(e.useTls(false)).isFalse();
        assertThat(e.useTls(true)).isTrue();
        assertThat(e.text()).isEqualTo("127.0.0.1:2379");
    }

    @Test
    void schemesDecideTls() {
        Endpoint http = Endpoint.parse("http://localhost:12379");
        assertThat(http.host()).isEqualTo("localhost");
        assertThat(http.port()).isEqualTo(12379);
        assertThat(http.tls()).isEqualTo(Optional.of(false));
        assertThat(http.useTls(true)).isFalse();
        Endpoint https = Endpoint.parse("HTTPS://etcd.example:2379/");
        assertThat(https.host()).isEqualTo("etcd.example");
        assertThat(https.useTls(false)).isTrue();
    }

    @Test
    void defaultPortAndIpv6() {
        assertThat(Endpoint.parse("http://127.0.0.1").port()).isEqualTo(2379);
        Endpoint v6 = Endpoint.parse("https://[::1]:3379");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(3379);
        assertThat(v6.authority()).isEqualTo("[::1]:3379");
        assertThat(Endpoint.parse("[::1]").port()).isEqualTo(2379);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> Endpoint.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Endpoint.parse("unix://sock")).hasMessageContaining("scheme");
        assertThatThrownBy(() -> Endpoint.parse("http://h:0")).hasMessageContaining("port");
        assertThatThrownBy(() -> Endpoint.parse("h:70000")).hasMessageContaining("port");
        assertThatThrownBy(() -> Endpoint.parse("h:abc")).hasMessageContaining("port");
        assertThatThrownBy(() -> Endpoint.parse("::1:2379")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> Endpoint.parse("http://h:1/v3")).hasMessageContaining("path");
        assertThatThrownBy(() -> Endpoint.parse("http://:1")).hasMessageContaining("host");
    }
}
