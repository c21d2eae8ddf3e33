package dev.etcdj.client;

import java.util.List;

/**
 * DNS SRV discovery found no endpoint: neither the TLS service ({@code _etcd-client-ssl._tcp.})
 * nor the plain one ({@code _etcd-client._tcp.}) of the domain could be looked up. Thrown by
 * {@link ClientBuilder#build()} with {@link ClientBuilder#discoverySrv(String)} and by
 * {@link SrvDiscovery#lookup()}. The message is etcdctl's: {@code dns lookup errors: lookup
 * _etcd-client-ssl._tcp.D on S: no such host and lookup _etcd-client._tcp.D on S: no such host}.
 * {@link #code()} is {@link Code#NOT_FOUND} when the DNS server answered that there are no such
 * records, {@link Code#UNAVAILABLE} when it could not be asked (a timeout, a server failure).
 */
public class DiscoveryException extends EtcdException {

    private static final long serialVersionUID = 1L;

    private final String domain;
    private final transient List<String> failures;

    /**
     * A failed discovery.
     *
     * @param code {@link Code#NOT_FOUND} or {@link Code#UNAVAILABLE}
     * @param domain the domain asked
     * @param failures one text per service asked, e.g. {@code lookup _etcd-client._tcp.D on S: no such host}
     * @param cause the last lookup's error, or null
     */
    public DiscoveryException(Code code, String domain, List<String> failures, Throwable cause) {
        this(code, domain, "dns lookup errors: " + String.join(" and ", failures), failures, cause);
    }

    /**
     * A discovery that found records but no endpoint it may use.
     *
     * @param code the class of failure
     * @param domain the domain asked
     * @param message what was found and why it cannot be used
     */
    public DiscoveryException(Code code, String domain, String message) {
        this(code, domain, message, List.of(), null);
    }

    private DiscoveryException(Code code, String domain, String message, List<String> failures, Throwable cause) {
        super(code, message, cause);
        this.domain = domain;
        this.failures = List.copyOf(failures);
    }

    /** @return the domain whose SRV records were asked for */
    public String domain() {
        return domain;
    }

    /** @return why each service's lookup failed, TLS service first; empty when lookups found only unusable records */
    public List<String> failures() {
        return failures;
    }
}
