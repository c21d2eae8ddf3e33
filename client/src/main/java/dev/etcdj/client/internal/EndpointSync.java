package dev.etcdj.client.internal;

import dev.etcdj.client.ClusterClient;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's endpoints refreshed from the member list: on demand ({@code sync()}) and, with an
 * auto sync interval, periodically, as Go's {@code Sync} and {@code autoSync}.
 */
final class EndpointSync {

    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");
    /** How long one periodic refresh may take: Go's autoSync gives each 5 s. */
    static final Duration AUTO_SYNC_TIMEOUT = Duration.ofSeconds(5);

    private final GrpcTransport transport;
    private final ClusterClient cluster;
    private volatile ScheduledFuture<?> periodic;
    private volatile boolean closed;

    EndpointSync(GrpcTransport transport, ClusterClient cluster) {
        this.transport = transport;
        this.cluster = cluster;
    }

    /** Refreshes now; completes with the endpoints from then on. */
    CompletableFuture<List<String>> sync() {
        return sync(cluster);
    }

    private CompletableFuture<List<String>> sync(ClusterClient via) {
        return via.memberList().thenApply(this::apply);
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
            scheduleNext(interval.toNanos(), cluster.withTimeout(AUTO_SYNC_TIMEOUT));
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
