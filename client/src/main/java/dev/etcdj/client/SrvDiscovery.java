package dev.etcdj.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where to find a cluster's endpoints in DNS, as etcdctl's {@code --discovery-srv}: the SRV records
 * {@code _etcd-client-ssl._tcp.<domain>} give {@code https://} endpoints and
 * {@code _etcd-client._tcp.<domain>} give {@code http://} ones ({@code _etcd-client-ssl-<name>._tcp}
 * and {@code _etcd-client-<name>._tcp} with a service name). Discovery fails only when both
 * lookups fail. Set it on a client with {@link ClientBuilder#discoverySrv(String)}; immutable.
 *
 * <p>Each record gives {@code scheme://target:port}, records of lower priority value first (then of
 * higher weight); the target's trailing dot is dropped. With {@link #withDnsServer} the targets
 * are also resolved by that server (A, then AAAA) and the endpoint names the address, since the
 * JVM's resolver would not know them; a target it has no address for stays a name. Without it,
 * the system's resolver is asked ({@code /etc/resolv.conf}'s name servers where there is one).
 * Lookups use the JDK's DNS provider ({@code jdk.naming.dns}); no record is cached.
 *
 * @param domain e.g. {@code example.com}; a trailing dot is dropped
 * @param serviceName the service name suffix (etcdctl's {@code --discovery-srv-name}); empty for none
 * @param dnsServer the DNS server asked; empty for the system's
 * @param insecure whether plain http endpoints are accepted
 */
public record SrvDiscovery(String domain, String serviceName, Optional<InetSocketAddress> dnsServer, boolean insecure) {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");

    /**
     * Checks and normalises the settings (the domain trimmed, without a trailing dot).
     *
     * @throws IllegalArgumentException when the domain is empty
     */
    public SrvDiscovery {
        domain = Objects.requireNonNull(domain, "domain").trim();
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("discovery domain is empty");
        }
        serviceName = Objects.requireNonNull(serviceName, "name").trim();
        Objects.requireNonNull(dnsServer, "server");
    }

    /**
     * Discovery in {@code domain}, with the system resolver, no service name, plain http endpoints
     * accepted (etcdctl's defaults).
     *
     * @param domain e.g. {@code example.com}; a trailing dot is allowed
     * @return the discovery
     * @throws IllegalArgumentException when the domain is empty
     */
    public static SrvDiscovery of(String domain) {
        return new SrvDiscovery(domain, "", Optional.empty(), true);
    }

    /**
     * @param name the service name suffix (etcdctl's {@code --discovery-srv-name}); empty for none
     * @return a copy that asks for {@code _etcd-client[-ssl]-<name>._tcp.<domain>}
     */
    public SrvDiscovery withServiceName(String name) {
        return new SrvDiscovery(domain, name, dnsServer, insecure);
    }

    /**
     * @param server the DNS server to ask instead of the system's (a private resolver, or a test's)
     * @return a copy that asks {@code server}
     */
    public SrvDiscovery withDnsServer(InetSocketAddress server) {
        return new SrvDiscovery(domain, serviceName, Optional.of(Objects.requireNonNull(server, "server")), insecure);
    }

    /**
     * @param accept whether {@code http://} endpoints (the {@code _etcd-client._tcp} records) are
     *     used, as etcdctl's {@code --insecure-discovery} (default true); when false they are
     *     dropped with a warning in the log
     * @return a copy with this setting
     */
    public SrvDiscovery withInsecure(boolean accept) {
        return new SrvDiscovery(domain, serviceName, dnsServer, accept);
    }

    /** @return the SRV names asked: the TLS service's, then the plain one's */
    public List<String> srvNames() {
        String suffix = serviceName.isEmpty() ? "" : "-" + serviceName;
        return List.of("_etcd-client-ssl" + suffix + "._tcp." + domain, "_etcd-client" + suffix + "._tcp." + domain);
    }

    /**
     * Asks DNS now (blocking, within a few seconds).
     *
     * @return the endpoints found, https ones first; empty when records exist but, without
     *     {@link #insecure()}, all of them were plain http
     * @throws DiscoveryException when both lookups fail
     */
    public List<String> lookup() {
        List<String> srv = srvNames();
        SrvLookup dns = new SrvLookup(dnsServer);
        List<String> failures = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        RuntimeException cause = null;
        boolean unreachable = false;
        for (int i = 0; i < 2; i++) {
            String scheme = i == 0 ? "https" : "http";
            try {
                for (SrvLookup.Target t : dns.srv(srv.get(i))) {
                    endpoints.add(scheme + "://" + dns.hostFor(t.host()) + ":" + t.port());
                }
            } catch (SrvLookup.LookupFailure e) {
                failures.add("lookup " + srv.get(i) + " on " + dns.serverName() + ": " + e.getMessage());
                unreachable |= e.unreachable();
                cause = e;
            }
        }
        if (failures.size() == 2) {
            throw new DiscoveryException(unreachable ? EtcdException.Code.UNAVAILABLE : EtcdException.Code.NOT_FOUND,
                    domain, failures, cause);
        }
        if (!insecure) {
            endpoints.removeIf(e -> {
                boolean plain = e.toLowerCase(Locale.ROOT).startsWith("http://");
                if (plain) {
                    LOG.warn("ignoring discovered insecure endpoint {}", e);
                }
                return plain;
            });
        }
        return List.copyOf(endpoints);
    }

    @Override
    public String toString() {
        return "SrvDiscovery{domain=" + domain + (serviceName.isEmpty() ? "" : ", serviceName=" + serviceName)
                + ", dnsServer=" + dnsServer.map(Object::toString).orElse("(system)") + ", insecure=" + insecure + "}";
    }
}
