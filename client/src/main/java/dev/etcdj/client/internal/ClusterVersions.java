package dev.etcdj.client.internal;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.OldClusterException;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The check of {@code rejectOldCluster}: some endpoint must run etcd 3.2 or newer, as Go's checkVersion. */
final class ClusterVersions {

    private ClusterVersions() {}

    /**
     * Asks every endpoint's status at once, within {@code timeout}; returns when one runs 3.2 or
     * newer. Throws {@link OldClusterException} when every one that answered is older, or the first
     * endpoint's error when none answered.
     */
    static void requireAtLeast32(Transport transport, Duration timeout) {
        List<String> endpoints = transport.endpoints();
        List<CompletableFuture<String>> versions = new ArrayList<>();
        for (String endpoint : endpoints) {
            versions.add(transport.unaryOn(endpoint, timeout, Transport.UnaryCall.of(MaintenanceGrpc.getStatusMethod(),
                    StatusRequest.getDefaultInstance())).thenApply(s -> s.getVersion()));
        }
        List<String> old = new ArrayList<>();
        EtcdException firstError = null;
        for (int i = 0; i < endpoints.size(); i++) {
            String version;
            try {
                version = versions.get(i).join();
            } catch (CompletionException e) {
                EtcdException error = transport.toEtcdException(e.getCause());
                if (firstError == null) {
                    firstError = error;
                } else {
                    firstError.addSuppressed(error);
                }
                continue;
            }
            if (atLeast32(version)) {
                versions.forEach(v -> v.cancel(false));
                return;
            }
            old.add(endpoints.get(i) + " runs etcd " + version);
        }
        if (!old.isEmpty()) {
            throw new OldClusterException("etcdclient: old cluster version (" + String.join(", ", old) + ")");
        }
        throw firstError;
    }

    /** Whether {@code version} ("3.4.23") is 3.2 or newer; one that does not parse counts as older, as in Go. */
    static boolean atLeast32(String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            return false;
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return major > 3 || (major == 3 && minor >= 2);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
