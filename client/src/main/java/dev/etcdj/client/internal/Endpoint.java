package dev.etcdj.client.internal;

import dev.etcdj.client.InvalidEndpointException;
import java.util.Locale;
import java.util.Optional;

/**
 * One endpoint as given to the builder, parsed: {@code host:port}, {@code http://host:port} or
 * {@code https://host:port}; IPv6 hosts in brackets. The port defaults to etcd's 2379.
 * {@code tls} is empty when the text names no scheme, so the client's TLS setting decides.
 */
public record Endpoint(String text, String host, int port, Optional<Boolean> tls) {

    public static final int DEFAULT_PORT = 2379;

    public static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidEndpointException(String.valueOf(text), "empty endpoint");
        }
        String s = text.trim();
        Optional<Boolean> tls = Optional.empty();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            String name = s.substring(0, scheme).toLowerCase(Locale.ROOT);
            tls = switch (name) {
                case "http" -> Optional.of(false);
                case "https" -> Optional.of(true);
                default -> throw new InvalidEndpointException(text, 
                        "unsupported scheme '" + name + "' in endpoint " + text + " (use http or https)");
            };
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            // etcd endpoints carry no path; "http://host:port/" is still the host and port.
            if (!s.substring(slash).equals("/")) {
                throw new InvalidEndpointException(text, "endpoint has a path: " + text);
            }
            s = s.substring(0, slash);
        }
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new InvalidEndpointException(text, "unclosed '[' in endpoint " + text);
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new InvalidEndpointException(text, "invalid endpoint " + text);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new InvalidEndpointException(text, "IPv6 addresses need brackets: " + text);
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new InvalidEndpointException(text, "endpoint without host: " + text);
        }
        return new Endpoint(text, host, port == null ? DEFAULT_PORT : port(port, text), tls);
    }

    /** Whether to speak TLS to this endpoint: its scheme decides, else whether TLS is configured. */
    public boolean useTls(boolean tlsConfigured) {
        return tls.orElse(tlsConfigured);
    }

    /** host:port, with brackets around IPv6 hosts. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int port(String p, String text) {
        try {
            int n = Integer.parseInt(p);
            if (n > 0 && n < 65536) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidEndpointException(text, "invalid port '" + p + "' in endpoint " + text);
    }
}
