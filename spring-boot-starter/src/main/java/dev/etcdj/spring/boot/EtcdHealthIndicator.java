package dev.etcdj.spring.boot;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.MaintenanceClient;
import dev.etcdj.client.StatusResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health of the etcd members an {@link EtcdClient} talks to: asks each of its endpoints for its
 * status (all at once, each within the timeout) and reports, per endpoint, the member's version, ID,
 * leader's ID (IDs in hex, as etcdctl shows them), raft term and index, database size and alarms,
 * or the error when it did not answer.
 * <p>
 * {@code UP} when at least one member answered, has a leader and no alarm (the client fails over to
 * it); {@code DOWN} otherwise, with the first error. A member without a leader or with an alarm
 * (e.g. NOSPACE) counts as unhealthy.
 */
public class EtcdHealthIndicator implements HealthIndicator {

    /** How long past the call's own deadline to wait before giving up on an answer. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final EtcdClient client;
    private final Duration timeout;

    /**
     * An indicator of {@code client}'s members.
     *
     * @param client the client whose endpoints are asked
     * @param timeout how long each status call may take
     */
    public EtcdHealthIndicator(EtcdClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        MaintenanceClient maintenance = client.maintenance().withTimeout(timeout);
        Map<String, CompletableFuture<StatusResponse>> calls = new LinkedHashMap<>();
        for (String endpoint : client.config().endpoints()) {
            calls.put(endpoint, maintenance.status(endpoint));
        }
        long waitUntil = System.nanoTime() + timeout.plus(GRACE).toNanos();
        Map<String, Object> endpoints = new LinkedHashMap<>();
        boolean healthy = false;
        String firstError = null;
        for (Map.Entry<String, CompletableFuture<StatusResponse>> call : calls.entrySet()) {
            Map<String, Object> details = new LinkedHashMap<>();
            String error;
            try {
                StatusResponse status = call.getValue().get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                details.putAll(details(status));
                error = problem(status);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                error = cause.getClass().getName() + ": " + cause.getMessage();
            } catch (TimeoutException e) {
                call.getValue().cancel(true);
                error = "no answer within " + timeout.plus(GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                calls.values().forEach(f -> f.cancel(true));
                return Health.unknown().withDetail("error", "interrupted while asking " + call.getKey()).build();
            }
            if (error == null) {
                healthy = true;
            } else {
                details.put("error", error);
                if (firstError == null) {
                    firstError = call.getKey() + ": " + error;
                }
            }
            endpoints.put(call.getKey(), details);
        }
        Health.Builder health = healthy ? Health.up() : Health.down();
        if (!healthy && firstError != null) {
            health.withDetail("error", firstError);
        }
        return health.withDetail("endpoints", endpoints).build();
    }

    private static Map<String, Object> details(StatusResponse s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("version", s.version());
        d.put("memberId", Long.toHexString(s.header().memberId()));
        d.put("leaderId", Long.toHexString(s.leader()));
        d.put("isLeader", s.leader() != 0 && s.leader() == s.header().memberId());
        d.put("isLearner", s.learner());
        d.put("raftTerm", s.raftTerm());
        d.put("raftIndex", s.raftIndex());
        d.put("raftAppliedIndex", s.raftAppliedIndex());
        d.put("revision", s.header().revision());
        d.put("dbSize", s.dbSize());
        d.put("dbSizeInUse", s.dbSizeInUse());
        if (!s.errors().isEmpty()) {
            d.put("alarms", s.errors());
        }
        return d;
    }

    /** Why a member that answered is not healthy, or null. */
    private static String problem(StatusResponse s) {
        if (s.leader() == 0) {
            return "the member has no leader";
        }
        if (!s.errors().isEmpty()) {
            return "the member reports " + String.join("; ", s.errors());
        }
        return null;
    }
}
