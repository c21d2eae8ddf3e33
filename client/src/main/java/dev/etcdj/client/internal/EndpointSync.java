package dev.etcdj.client.internal;

import dev.etcdj.client.ClusterClient;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.SrvDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's endpoints refreshed from the member list: on demand ({@code sync()}) and, with an
 * auto sync interval, periodically, as Go's {@code Sync} and {@code autoSync}. A client built with
 * DNS SRV discovery asks DNS again when the member list cannot be had (no endpoint answers), so
 * that a cluster whose members all moved is found again.
 */
final class EndpointSync {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");
    /** How long one periodic refresh may take: Go's autoSync gives each 5 s. */
    static final Duration AUTO_SYNC_TIMEOUT = Duration.ofSeconds(5);

    private final GrpcTransport transport;
    private final Supplier<ClusterClient> cluster;
    private final Optional<SrvDiscovery> discovery;
    private volatile ScheduledFuture<?> periodic;
    private volatile boolean closed;

    EndpointSync(GrpcTransport transport, Supplier<ClusterClient> cluster, Optional<SrvDiscovery> discovery) {
        this.transport = transport;
        this.cluster = cluster;
        this.discovery = discovery;
    }

    /** Refreshes now; completes with the endpoints from then on. */
    CompletableFuture<List<String>> sync() {
        return sync(cluster.get());
    }

    private CompletableFuture<List<String>> sync(ClusterClient via) {
        CompletableFuture<List<String>> fromMembers = via.memberList().thenApply(this::apply);
        return discovery.isEmpty() ? fromMembers : fromMembers.exceptionallyCompose(this::rediscover);
    }

    /**
     * The member list failed: the endpoints found in DNS now, if any (the lookup blocks, so it runs
     * on the callback pool, never a network thread); else the member list's error, with the DNS
     * error suppressed in it.
     */
    private CompletableFuture<List<String>> rediscover(Throwable memberListFailure) {
        Throwable cause = memberListFailure instanceof CompletionException && memberListFailure.getCause() != null
                ? memberListFailure.getCause() : memberListFailure;
        return CompletableFuture.supplyAsync(() -> {
            List<String> found;
            try {
                found = discovery.orElseThrow().lookup();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
                throw new CompletionException(cause);
            }
            if (found.isEmpty()) {
                throw new CompletionException(cause);
            }
            LOG.info("member list failed ({}); endpoints from DNS discovery: {}", cause.getMessage(), found);
            transport.setEndpoints(found);
            return transport.endpoints();
        }, transport.callbackExecutor());
    }

    private List<String> apply(MemberListResponse members) {
        List<String> urls = clientUrls(members.members());
        if (urls.isEmpty()) {
            // Go would set no endpoint at all and strand the client; keeping the old ones is kinder.
            LOG.info("member list names no client URL of a started voting member; endpoints stay {}",
                    transport.endpoints());
            return transport.endpoints();
        }
        transport.setEndpoints(urls);
        return transport.endpoints();
    }

    /** The client URLs of members that have started (have a name) and are not learners, in order. */
    static List<String> clientUrls(List<Member> members) {
        List<String> urls = new ArrayList<>();
        for (Member m : members) {
            if (!m.name().isEmpty() && !m.learner()) {
                for (String u : m.clientUrls()) {
                    if (!urls.contains(u)) {
                        urls.add(u);
                    }
                }
            }
        }
        return urls;
    }

    /** Starts refreshing every {@code interval} (from the end of one refresh to the next), unless it is zero. */
    void start(Duration interval) {
        if (!interval.isZero()) {
            scheduleNext(interval.toNanos(), cluster.get().withTimeout(AUTO_SYNC_TIMEOUT));
        }
    }

    private void scheduleNext(long nanos, ClusterClient timed) {
        if (closed) {
            return;
        }
        try {
            periodic = transport.threads().schedule(() -> {
                if (closed || transport.isClosed()) {
                    return;
                }
                sync(timed).whenComplete((endpoints, e) -> {
                    if (e != null && !transport.isClosed()) {
                        LOG.info("auto sync of endpoints failed, they stay {}: {}", transport.endpoints(),
                                e.getCause() != null ? e.getCause().getMessage() : e.toString());
                    }
                    scheduleNext(nanos, timed);
                });
            }, nanos);
        } catch (RejectedExecutionException closing) {
            // The client is closing: nothing more to refresh.
        }
    }

    void close() {
        closed = true;
        ScheduledFuture<?> p = periodic;
        if (p != null) {
            p.cancel(false);
        }
    }
}
