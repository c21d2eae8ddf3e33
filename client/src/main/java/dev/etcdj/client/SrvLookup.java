package dev.etcdj.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.naming.CommunicationException;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.ServiceUnavailableException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** DNS questions through the JDK's JNDI DNS provider, for {@link SrvDiscovery}. */
final class SrvLookup {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    /** One SRV record's data; {@code host} without its trailing dot. */
    record Target(int priority, int weight, int port, String host) {}

    /** A lookup that found nothing; the message is Go's text for the cause ("no such host", ...). */
    static final class LookupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean unreachable;

        LookupFailure(String message, boolean unreachable, Throwable cause) {
            super(message, cause);
            this.unreachable = unreachable;
        }

        /** Whether the server could not be asked or failed, rather than answered "none". */
        boolean unreachable() {
            return unreachable;
        }
    }

    private final boolean customServer;
    private final String providerUrl;
    private final String serverName;

    SrvLookup(Optional<InetSocketAddress> server) {
        customServer = server.isPresent();
        List<String> servers = server.map(s -> List.of(hostPort(s.getHostString(), s.getPort())))
                .orElseGet(SrvLookup::systemNameServers);
        providerUrl = servers.isEmpty() ? "dns:" : String.join(" ", servers.stream().map(s -> "dns://" + s).toList());
        serverName = servers.isEmpty() ? "the system resolver" : servers.get(0);
    }

    /** The server named in errors, as Go names it: {@code host:port}. */
    String serverName() {
        return serverName;
    }

    /** The SRV records of {@code name}: lower priority first, then higher weight. */
    List<Target> srv(String name) {
        List<Target> targets = new ArrayList<>();
        for (String value : records(name, "SRV")) {
            String[] f = value.trim().split("\\s+");
            if (f.length != 4) {
                throw new LookupFailure("cannot unmarshal DNS message", true, null);
            }
            try {
                targets.add(new Target(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        stripDot(f[3])));
            } catch (NumberFormatException e) {
                throw new LookupFailure("cannot unmarshal DNS message", true, e);
            }
        }
        if (targets.isEmpty()) {
            throw new LookupFailure("no such host", false, null);
        }
        targets.sort(Comparator.comparingInt(Target::priority).thenComparing(Comparator.comparingInt(Target::weight).reversed()));
        return targets;
    }

    /**
     * The host to dial for an SRV target: with a DNS server of one's own, its address there (A, then
     * AAAA) since the JVM would ask another resolver; else, or when it has none, the name itself.
     */
    String hostFor(String target) {
        if (!customServer) {
            return target;
        }
        for (String type : List.of("A", "AAAA")) {
            try {
                List<String> addresses = records(target, type);
                if (!addresses.isEmpty()) {
                    String a = addresses.get(0).trim();
                    return a.indexOf(':') >= 0 ? "[" + a + "]" : a;
                }
            } catch (LookupFailure e) {
                LOG.debug("no {} record of {} at {}: {}", type, target, serverName, e.getMessage());
            }
        }
        return target;
    }

    private List<String> records(String name, String type) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(Context.PROVIDER_URL, providerUrl);
        // 1 s, then 2 s: about Go's resolver (5 s, 2 attempts) without making a dead server hang a build long.
        env.put("com.sun.jndi.dns.timeout.initial", "1000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attribute attr = ctx.getAttributes(name + ".", new String[] {type}).get(type);
            List<String> values = new ArrayList<>();
            if (attr != null) {
                NamingEnumeration<?> all = attr.getAll();
                while (all.hasMore()) {
                    values.add(String.valueOf(all.next()));
                }
            }
            return values;
        } catch (NameNotFoundException e) {
            throw new LookupFailure("no such host", false, e);
        } catch (ServiceUnavailableException e) {
            throw new LookupFailure("server misbehaving", true, e);
        } catch (CommunicationException e) {
            boolean timeout = e.getRootCause() instanceof SocketTimeoutException
                    || String.valueOf(e.getMessage()).contains("timed out");
            throw new LookupFailure(timeout ? "i/o timeout" : String.valueOf(e.getExplanation()), true, e);
        } catch (NamingException e) {
            throw new LookupFailure(String.valueOf(e.getExplanation()), true, e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException e) {
                    LOG.debug("closing a DNS context failed", e);
                }
            }
        }
    }

    /** The name servers of /etc/resolv.conf, as {@code host:53}; empty where there is no such file. */
    static List<String> systemNameServers() {
        List<String> servers = new ArrayList<>();
        if (!Files.isReadable(RESOLV_CONF)) {
            return servers;
        }
        try {
            for (String line : Files.readAllLines(RESOLV_CONF)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    servers.add(hostPort(f[1], 53));
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot read {}; asking the JDK's default resolver", RESOLV_CONF, e);
        }
        return servers;
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
