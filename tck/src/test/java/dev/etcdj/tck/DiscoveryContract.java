package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.DiscoveryException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.SrvDiscovery;
import dev.etcdj.testing.dns.LoopbackDns;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNS SRV discovery ({@code ClientBuilder.discoverySrv}) against one member, with SRV records in a
 * {@link LoopbackDns} that point at the target's port: the client built from them puts and gets,
 * a service name selects its own records, a target the DNS server has no address for is dialled by
 * name, insecure discovery off drops http records, sync asks DNS again when no endpoint answers,
 * and a domain without records fails the build with {@link DiscoveryException} in etcdctl's words.
 * A 3-member cluster found by SRV is {@link ClusterDiscoveryIT}.
 */
public abstract class DiscoveryContract extends ContractSupport {

    private LoopbackDns dns;
    private int port;

    @BeforeAll
    void startDns() throws IOException {
        port = URI.create(endpoints().get(0)).getPort();
        dns = LoopbackDns.start();
        dns.srv("_etcd-client._tcp.disc.test", 0, 0, port, "m1.disc.test.")
                .address("m1.disc.test", "127.0.0.1")
                .srv("_etcd-client-blue._tcp.named.test", 0, 0, port, "m1.disc.test")
                .srv("_etcd-client._tcp.byname.test", 0, 0, port, "localhost.")
                .srv("_etcd-client-ssl._tcp.mixed.test", 0, 0, 1, "m1.disc.test")
                .srv("_etcd-client._tcp.mixed.test", 0, 0, port, "m1.disc.test");
    }

    @AfterAll
    void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    private EtcdClient discovered(String domain, String name) {
        return EtcdClient.builder().discoverySrv(domain).discoverySrvName(name).dnsServer(dns.address())
                .dialTimeout(Duration.ofSeconds(5)).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void srvRecordsGiveAClientThatPutsAndGets() {
        try (EtcdClient c = discovered("disc.test", "")) {
            assertThat(c.endpoints()).containsExactly("http://127.0.0.1:" + port);
            assertThat(c.config().discovery()).contains(SrvDiscovery.of("disc.test").withDnsServer(dns.address()));
            c.kv().blocking().put(key("k"), "v");
            assertThat(kv.get(key("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("v");
            assertThat(c.kv().blocking().get(key("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("v");
        }
    }

    @Test
    void aServiceNameAsksForItsOwnRecords() {
        try (EtcdClient c = discovered("named.test", "blue")) {
            assertThat(c.endpoints()).containsExactly("http://127.0.0.1:" + port);
            c.kv().blocking().put(key("k"), "v");
        }
        assertThatThrownBy(() -> discovered("named.test", "")).isInstanceOf(DiscoveryException.class);
    }

    @Test
    void aTargetTheDnsServerHasNoAddressForIsDialledByName() {
        try (EtcdClient c = discovered("byname.test", "")) {
            assertThat(c.endpoints()).containsExactly("http://localhost:" + port);
            c.kv().blocking().put(key("k"), "v");
        }
    }

    @Test
    void httpsRecordsComeFirstAndInsecureDiscoveryOffDropsHttpOnes() {
        List<String> all = SrvDiscovery.of("mixed.test").withDnsServer(dns.address()).lookup();
        assertThat(all).containsExactly("https://127.0.0.1:1", "http://127.0.0.1:" + port);
        assertThat(SrvDiscovery.of("mixed.test").withDnsServer(dns.address()).withInsecure(false).lookup())
                .containsExactly("https://127.0.0.1:1");
        assertThatThrownBy(() -> EtcdClient.builder().discoverySrv("disc.test").dnsServer(dns.address())
                .insecureDiscovery(false).build())
                .isInstanceOf(DiscoveryException.class)
                .hasMessageContaining("only insecure (http) endpoints");
    }

    @Test
    void syncAsksDnsAgainWhenNoEndpointAnswers() {
        try (EtcdClient c = EtcdClient.builder().discoverySrv("disc.test").dnsServer(dns.address())
                .dialTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(3)).build()) {
            c.setEndpoints(List.of("http://127.0.0.1:1"));
            assertThat(result(c.sync())).containsExactly("http://127.0.0.1:" + port);
            c.kv().blocking().put(key("k"), "v");
        }
    }

    @Test
    void aDomainWithoutRecordsFailsTheBuildInEtcdctlsWords() {
        String server = dns.hostPort();
        assertThatThrownBy(() -> discovered("missing.test", ""))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.code()).isEqualTo(EtcdException.Code.NOT_FOUND);
                    assertThat(e.domain()).isEqualTo("missing.test");
                    assertThat(e.getMessage()).isEqualTo("dns lookup errors: lookup _etcd-client-ssl._tcp.missing.test on "
                            + server + ": no such host and lookup _etcd-client._tcp.missing.test on " + server
                            + ": no such host");
                });
        assertThatThrownBy(() -> discovered("missing.test", "x"))
                .hasMessageContaining("lookup _etcd-client-ssl-x._tcp.missing.test on " + server + ": no such host");
    }

    @Test
    void aDeadDnsServerIsUnavailable() throws IOException {
        java.net.InetSocketAddress dead;
        try (LoopbackDns gone = LoopbackDns.start()) {
            dead = gone.address();
        }
        java.net.InetSocketAddress deadServer = dead;
        assertThatThrownBy(() -> EtcdClient.builder().discoverySrv("disc.test").dnsServer(deadServer).build())
                .isInstanceOfSatisfying(DiscoveryException.class,
                        e -> assertThat(e.code()).isEqualTo(EtcdException.Code.UNAVAILABLE));
    }
}
