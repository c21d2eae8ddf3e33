package dev.etcdj.cli;

import dev.etcdj.client.DiscoveryException;
import dev.etcdj.client.SrvDiscovery;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * etcdctl's endpointsFromCmd: with {@code --discovery-srv} the endpoints found in DNS (http ones
 * dropped, with a line on stderr, under {@code --insecure-discovery=false}), else (or when discovery
 * leaves none) {@code --endpoints}. etcdctl asks the system's resolver; {@code ETCDJ_DNS_SERVER=host:port}
 * names another DNS server instead, for tests and private resolvers (not an etcdctl setting).
 */
final class SrvEndpoints {

    /** The environment variable that names the DNS server asked instead of the system's. */
    static final String DNS_SERVER_ENV = "ETCDJ_DNS_SERVER";

    private SrvEndpoints() {}

    static List<String> resolve(GlobalOptions global, Map<String, String> env, PrintStream err) {
        List<String> given = global.endpoints.stream().map(String::trim).toList();
        if (global.discoverySrv.isEmpty()) {
            return given;
        }
        SrvDiscovery discovery = SrvDiscovery.of(global.discoverySrv).withServiceName(global.discoverySrvName);
        Optional<InetSocketAddress> server = dnsServer(env.get(DNS_SERVER_ENV));
        if (server.isPresent()) {
            discovery = discovery.withDnsServer(server.get());
        }
        List<String> found;
        try {
            found = discovery.lookup();
        } catch (DiscoveryException e) {
            throw new CliException(CliException.EXIT_ERROR, e.getMessage());
        }
        if (!global.insecureDiscovery) {
            List<String> secure = new ArrayList<>();
            for (String ep : found) {
                if (ep.startsWith("http://")) {
                    err.println("ignoring discovered insecure endpoint \"" + ep + "\"");
                } else {
                    secure.add(ep);
                }
            }
            found = secure;
        }
        return found.isEmpty() ? given : found;
    }

    /** {@code host:port}, {@code [v6]:port}, or a host alone (port 53); empty when unset. */
    static Optional<InetSocketAddress> dnsServer(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        String host = v;
        int port = 53;
        int colon = v.lastIndexOf(':');
        boolean bracketed = v.startsWith("[");
        if (colon > 0 && (bracketed ? colon > v.indexOf(']') : v.indexOf(':') == colon)) {
            host = v.substring(0, colon);
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (bracketed) {
            host = host.replaceAll("^\\[|]$", "");
        }
        if (host.isEmpty() || port <= 0 || port > 65535) {
            throw new CliException(CliException.EXIT_BAD_ARGS, "invalid " + DNS_SERVER_ENV + " \"" + value
                    + "\" (want host:port)");
        }
        return Optional.of(new InetSocketAddress(host, port));
    }
}
