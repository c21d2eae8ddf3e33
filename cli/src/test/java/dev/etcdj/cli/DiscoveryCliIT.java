package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.EtcdjServerTarget;
import dev.etcdj.testing.dns.LoopbackDns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code etcdj --discovery-srv}: SRV records in a {@link LoopbackDns} (named by
 * {@code ETCDJ_DNS_SERVER}) lead etcdj to real etcd and to our server; a domain without records
 * fails as etcdctl does. etcdctl can only ask the system's resolver, so the failure is compared on
 * a domain that resolves nowhere ({@code nonexistent.invalid}): with the system resolver both must
 * print the same line and exit alike; with the test's DNS server, etcdj's line must be etcdctl's
 * with the server and domain put in. Both comparisons are skipped when the system resolver does not
 * answer (etcdctl then prints a timeout, not "no such host").
 */
class DiscoveryCliIT {

    private static final String MISSING = "nonexistent.invalid";
    private static final Pattern GO_LOOKUP = Pattern.compile(
            "^Error: dns lookup errors: lookup _etcd-client-ssl\\._tcp\\." + Pattern.quote(MISSING)
                    + " on (\\S+): no such host and lookup _etcd-client\\._tcp\\." + Pattern.quote(MISSING)
                    + " on (\\S+): no such host\n$");

    private final Cleanup cleanup = new Cleanup();
    private LoopbackDns dns;

    @BeforeEach
    void startDns() throws Exception {
        dns = LoopbackDns.start();
        cleanup.close(dns);
    }

    @AfterEach
    void cleanUp() throws Exception {
        cleanup.close();
    }

    /** Generous deadlines: the machine running the tests may be loaded; what is tested is where the endpoints come from. */
    private static final List<String> SLOW_OK = List.of("--dial-timeout=10s", "--command-timeout=30s");

    private Result etcdj(Map<String, String> extraEnv, String... args) {
        List<String> all = new ArrayList<>(SLOW_OK);
        all.addAll(List.of(args));
        args = all.toArray(String[]::new);
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("ETCDCTL_API", "3");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }

    private Result etcdj(String... args) {
        return etcdj(Map.of(SrvEndpoints.DNS_SERVER_ENV, dns.hostPort()), args);
    }

    private void getThroughSrv(String endpoint, String domain) throws Exception {
        int port = URI.create(endpoint).getPort();
        dns.srv("_etcd-client._tcp." + domain, 0, 0, port, "m1." + domain).address("m1." + domain, "127.0.0.1");
        assertThat(etcdj("--discovery-srv", domain, "put", "foo", "bar")).isEqualTo(new Result("OK\n", "", 0));
        Result ours = etcdj("--discovery-srv", domain, "get", "foo");
        assertThat(ours).isEqualTo(new Result("foo\nbar\n", "", 0));
        assertThat(etcdj("-d", domain, "get", "foo")).isEqualTo(ours);
        // etcdctl, told the endpoint itself, prints the same.
        assertThat(AdminRunner.etcdctl(List.of("--endpoints", endpoint, SLOW_OK.get(0), SLOW_OK.get(1)), Step.of("get", "foo"))).isEqualTo(ours);

        // A service name asks for its own records: none here.
        assertThat(etcdj("--discovery-srv", domain, "--discovery-srv-name", "blue", "get", "foo").err())
                .contains("lookup _etcd-client-ssl-blue._tcp." + domain + " on " + dns.hostPort() + ": no such host");
        // Insecure discovery off drops the http record with etcdctl's line, and falls back to --endpoints.
        Result secureOnly = etcdj("--discovery-srv", domain, "--insecure-discovery=false", "--endpoints", endpoint,
                "get", "foo");
        assertThat(secureOnly).isEqualTo(new Result("foo\nbar\n",
                "ignoring discovered insecure endpoint \"http://127.0.0.1:" + port + "\"\n", 0));
    }

    @Test
    void getThroughSrvRecordsReachesRealEtcd() throws Exception {
        RealEtcd etcd = new RealEtcd();
        cleanup.close(etcd);
        getThroughSrv("http://" + etcd.endpoint, "real.test");
    }

    @Test
    void getThroughSrvRecordsReachesOurServer() throws Exception {
        EtcdjServerTarget ours = new EtcdjServerTarget(b -> { });
        cleanup.close(ours);
        ours.start();
        getThroughSrv(ours.endpoint(), "ours.test");
    }

    /** etcdctl's answer for a domain that resolves nowhere; skips the test when the system resolver is not there. */
    private Result etcdctlOnMissingDomain() throws Exception {
        List<String> global = new ArrayList<>(List.of("--discovery-srv", MISSING));
        Result etcdctl = AdminRunner.etcdctl(global, Step.of("get", "foo"));
        assumeTrue(GO_LOOKUP.matcher(etcdctl.err()).matches(),
                () -> "the system resolver did not answer \"no such host\": " + etcdctl);
        return etcdctl;
    }

    @Test
    void aDomainWithoutRecordsFailsAsEtcdctlWithTheSystemResolver() throws Exception {
        Result etcdctl = etcdctlOnMissingDomain();
        Result ours = etcdj(Map.of(), "--discovery-srv", MISSING, "get", "foo");
        assertThat(ours).isEqualTo(etcdctl);
    }

    @Test
    void aDomainWithoutRecordsFailsAsEtcdctlWithTheTestsDnsServer() throws Exception {
        Result etcdctl = etcdctlOnMissingDomain();
        Matcher m = GO_LOOKUP.matcher(etcdctl.err());
        assertThat(m.matches()).isTrue();
        String expected = etcdctl.err().replace(" on " + m.group(1) + ":", " on " + dns.hostPort() + ":")
                .replace(" on " + m.group(2) + ":", " on " + dns.hostPort() + ":");
        Result ours = etcdj("--discovery-srv", MISSING, "get", "foo");
        assertThat(ours).isEqualTo(new Result(etcdctl.out(), expected, etcdctl.code()));
        assertThat(ours.code()).isEqualTo(1);
    }
}
