package dev.etcdj.client;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's maintenance API. Calls that take an {@code endpoint} go to that member alone: one of the
 * client's endpoints, or any other member's client URL, which gets a connection of its own (kept
 * until the client closes), as Go's {@code Status(ctx, endpoint)} dials it; the others go to any
 * member. An endpoint that cannot be parsed fails the call with {@link InvalidEndpointException}.
 */
public interface MaintenanceClient extends CallViews<MaintenanceClient> {

    CompletableFuture<StatusResponse> status(String endpoint);

    /** Rewrites the member's storage to reclaim space; expensive, one member at a time. */
    CompletableFuture<Void> defragment(String endpoint);

    CompletableFuture<HashResponse> hash(String endpoint);

    /** A hash of the key space up to {@code revision} (0 = now), comparable across members. */
    CompletableFuture<HashKvResponse> hashKv(String endpoint, long revision);

    /** Every active alarm of the cluster. */
    CompletableFuture<AlarmResponse> alarmList();

    /** Disarms one alarm (e.g. NOSPACE once space was freed). */
    CompletableFuture<AlarmResponse> alarmDisarm(AlarmMember alarm);

    /**
     * Streams a snapshot of the member's database into {@code out}, followed by the 32-byte SHA-256
     * the server appends once it matches the data (the file {@code etcdctl snapshot save} writes and
     * {@code snapshot restore} checks); completes with the size of the database, without the hash.
     * Fails with an {@link EtcdException} (DATA_LOSS) when the hash does not match. {@code out} is
     * neither closed nor deleted on failure.
     */
    CompletableFuture<Long> snapshot(String endpoint, OutputStream out);

    /** Hands leadership to another member; must reach the current leader. */
    CompletableFuture<MoveLeaderResponse> moveLeader(long targetMemberId);

    /**
     * etcd 3.5's Downgrade: validates, enables or cancels a downgrade of the cluster to
     * {@code version} ("3.4", say). etcd 3.4 and the etcdj server (etcd 3.4 on the wire) lack it:
     * there the future fails with {@link UnsupportedRpcException}.
     */
    CompletableFuture<DowngradeResponse> downgrade(DowngradeAction action, String version);

    /**
     * A view of this client whose calls use this deadline instead of the client's default.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    MaintenanceClient withTimeout(Duration timeout);

    /** A blocking view of this client: same calls, plain return values, exceptions thrown directly. */
    default BlockingMaintenanceClient blocking() {
        return WaitingViews.of(BlockingMaintenanceClient.class, this, MaintenanceClient::blocking);
    }
}
