package dev.etcdj.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code etcdj.client.*} properties the auto-configured {@link dev.etcdj.client.EtcdClient} is
 * built from. Every one maps to a setting of {@link dev.etcdj.client.ClientBuilder}, with the same
 * default.
 */
@ConfigurationProperties(prefix = "etcdj.client")
public class EtcdProperties {

    /**
     * The etcd members to talk to: host:port, http://host:port or https://host:port (https means TLS,
     * with the JVM's trust store unless etcdj.client.tls.* says otherwise). The client fails over
     * between them.
     */
    private List<String> endpoints = new ArrayList<>(List.of("http://127.0.0.1:2379"));

    /** How long to wait for a connection before a call fails as unavailable. */
    private Duration dialTimeout = Duration.ofSeconds(5);

    /** The default deadline of each call (retries included). */
    private Duration requestTimeout = Duration.ofSeconds(10);

    /** How often idle connections are pinged (HTTP/2 PING), to notice dead servers. */
    private Duration keepAliveTime = Duration.ofSeconds(30);

    /** How long a ping may go unanswered before the connection is taken for dead. */
    private Duration keepAliveTimeout = Duration.ofSeconds(10);

    /** The user to authenticate as (etcd auth); needs a password. The client renews its token by itself. */
    private String user;

    /** The password of the user. */
    private String password;

    /** Fail calls fast with NoLeaderException when the member has lost its leader. */
    private boolean requireLeader;

    /** The largest message accepted from a server; unlimited when not set. */
    private DataSize maxInboundMessageSize;

    /**
     * Complete the futures of unary calls on the client's network threads: one thread hand-off less
     * per call, but stages chained on them must then never block.
     */
    private boolean completeOnNetworkThreads;

    /**
     * How long a network thread that has just worked polls before it sleeps, while few calls are in
     * flight: saves a thread wake-up per call to a nearby etcd for a little CPU; 0 turns it off.
     */
    private Duration networkSpin = Duration.ofNanos(100_000);

    /**
     * Watches of the same key or range and flags share one watch on the server, which sends each
     * event once; each still hears what a watch of its own would.
     */
    private boolean coalesceWatches = true;

    /** Retries of calls that are safe to retry (reads, and writes that surely never reached a server). */
    private final Retry retry = new Retry();

    /** TLS: PEM files, as etcdctl's --cacert, --cert and --key. */
    private final Tls tls = new Tls();

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public Duration getDialTimeout() {
        return dialTimeout;
    }

    public void setDialTimeout(Duration dialTimeout) {
        this.dialTimeout = dialTimeout;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public Duration getKeepAliveTime() {
        return keepAliveTime;
    }

    public void setKeepAliveTime(Duration keepAliveTime) {
        this.keepAliveTime = keepAliveTime;
    }

    public Duration getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    public void setKeepAliveTimeout(Duration keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isRequireLeader() {
        return requireLeader;
    }

    public void setRequireLeader(boolean requireLeader) {
        this.requireLeader = requireLeader;
    }

    public DataSize getMaxInboundMessageSize() {
        return maxInboundMessageSize;
    }

    public void setMaxInboundMessageSize(DataSize maxInboundMessageSize) {
        this.maxInboundMessageSize = maxInboundMessageSize;
    }

    public boolean isCompleteOnNetworkThreads() {
        return completeOnNetworkThreads;
    }

    public void setCompleteOnNetworkThreads(boolean completeOnNetworkThreads) {
        this.completeOnNetworkThreads = completeOnNetworkThreads;
    }

    public Duration getNetworkSpin() {
        return networkSpin;
    }

    public void setNetworkSpin(Duration networkSpin) {
        this.networkSpin = networkSpin;
    }

    public boolean isCoalesceWatches() {
        return coalesceWatches;
    }

    public void setCoalesceWatches(boolean coalesceWatches) {
        this.coalesceWatches = coalesceWatches;
    }

    public Retry getRetry() {
        return retry;
    }

    public Tls getTls() {
        return tls;
    }

    /** {@code etcdj.client.retry.*}. */
    public static class Retry {

        /** How often a call is retried, on another endpoint when there is one. */
        private int maxRetries = 8;

        /** The first pause between attempts; it doubles up to max-backoff. */
        private Duration backoff = Duration.ofMillis(25);

        /** The longest pause between attempts. */
        private Duration maxBackoff = Duration.ofSeconds(1);

        public int getMaxRetries() {
            return maxRetries;
        }

        public void setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }

    /** {@code etcdj.client.tls.*}: TLS is on when any of them is set, or when an endpoint is https://. */
    public static class Tls {

        /** The CA that signs the servers' certificates (PEM); the JVM's trust store when not set. */
        private Path caFile;

        /** The client's certificate chain (PEM), for mutual TLS; needs key-file. */
        private Path certFile;

        /** The client's private key (PKCS#8 PEM), for mutual TLS; needs cert-file. */
        private Path keyFile;

        /** The host name checked against the servers' certificates, instead of the endpoint's. */
        private String authority;

        /** Accept any server certificate (etcdctl's --insecure-skip-tls-verify): for tests only. */
        private boolean insecureSkipVerify;

        public Path getCaFile() {
            return caFile;
        }

        public void setCaFile(Path caFile) {
            this.caFile = caFile;
        }

        public Path getCertFile() {
            return certFile;
        }

        public void setCertFile(Path certFile) {
            this.certFile = certFile;
        }

        public Path getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(Path keyFile) {
            this.keyFile = keyFile;
        }

        public String getAuthority() {
            return authority;
        }

        public void setAuthority(String authority) {
            this.authority = authority;
        }

        public boolean isInsecureSkipVerify() {
            return insecureSkipVerify;
        }

        public void setInsecureSkipVerify(boolean insecureSkipVerify) {
            this.insecureSkipVerify = insecureSkipVerify;
        }

        /** True when any TLS setting is made. */
        boolean isConfigured() {
            return caFile != null || certFile != null || keyFile != null || authority != null || insecureSkipVerify;
        }
    }
}
