package dev.etcdj.client.internal.maintenance;

import dev.etcdj.client.NoLeaderException;
import dev.etcdj.client.NotLeaderException;
import dev.etcdj.client.internal.Transport;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import dev.etcdj.proto.etcdserverpb.StatusResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Finds the leader by asking every endpoint for its status at once, so that a dead or hung member
 * does not delay the answer by its whole deadline: the first useful answer wins and the other
 * calls are cancelled.
 */
public final class StatusProbe {

    private StatusProbe() {}

    /** The leader's member ID, from the first endpoint that knows one. */
    public static CompletableFuture<Long> leaderId(Transport transport) {
        return first(transport, (endpoint, s) -> s.getLeader() != 0 ? s.getLeader() : null,
                endpoints -> new NoLeaderException("no endpoint of " + endpoints + " knows a leader", null));
    }

    /** The configured endpoint that is the leader now, by its own word. */
    public static CompletableFuture<String> leaderEndpoint(Transport transport) {
        return first(transport,
                (endpoint, s) -> s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId() ? endpoint : null,
                endpoints -> new NotLeaderException("none of the endpoints " + endpoints + " is the leader", null));
    }

    /**
     * Asks every endpoint's status; completes with the first non-null {@code pick}, or fails with
     * {@code none} (carrying the endpoints' errors as suppressed) once every endpoint has answered
     * without one, or with the first endpoint's error when none answered.
     */
    private static <T> CompletableFuture<T> first(Transport transport, BiFunction<String, StatusResponse, T> pick,
                                                  Function<List<String>, RuntimeException> none) {
        List<String> endpoints = transport.endpoints();
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(endpoints.size());
        List<Throwable> failures = new ArrayList<>();
        for (String endpoint : endpoints) {
            CompletableFuture<StatusResponse> status = transport.unaryOn(endpoint, null,
                    Transport.UnaryCall.of(MaintenanceGrpc.getStatusMethod(), StatusRequest.getDefaultInstance()));
            status.whenComplete((r, err) -> {
                T picked = err == null ? pick.apply(endpoint, r) : null;
                if (picked != null) {
                    result.complete(picked);
                } else if (err != null) {
                    synchronized (failures) {
                        failures.add(err);
                    }
                }
                if (pending.decrementAndGet() == 0 && !result.isDone()) {
                    RuntimeException e;
                    synchronized (failures) {
                        // No endpoint answered at all: that is the news (unreachable, timed out), not "no leader".
                        e = failures.size() == endpoints.size() ? transport.toEtcdException(failures.get(0))
                                : none.apply(endpoints);
                        failures.stream().filter(f -> f != e).forEach(e::addSuppressed);
                    }
                    result.completeExceptionally(e);
                }
            });
            result.whenComplete((r, err) -> status.cancel(false));
        }
        return result;
    }
}
