package dev.etcdj.client;

import java.io.OutputStream;
import java.time.Duration;

/** The blocking view of a {@link MaintenanceClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingMaintenanceClient {

    private final MaintenanceClient maintenance;

    BlockingMaintenanceClient(MaintenanceClient maintenance) {
        this.maintenance = maintenance;
    }

    public StatusResponse status(String endpoint) {
        return Futures.await(maintenance.status(endpoint));
    }

    public void defragment(String endpoint) {
        Futures.await(maintenance.defragment(endpoint));
    }

    public HashResponse hash(String endpoint) {
        return Futures.await(maintenance.hash(endpoint));
    }

    public HashKvResponse hashKv(String endpoint, long revision) {
        return Futures.await(maintenance.hashKv(endpoint, revision));
    }

    public AlarmResponse alarmList() {
        return Futures.await(maintenance.alarmList());
    }

    public AlarmResponse alarmDisarm(AlarmMember alarm) {
        return Futures.await(maintenance.alarmDisarm(alarm));
    }

    /** See {@link MaintenanceClient#snapshot}; returns the size of the database. */
    public long snapshot(String endpoint, OutputStream out) {
        return Futures.await(maintenance.snapshot(endpoint, out));
    }

    public MoveLeaderResponse moveLeader(long targetMemberId) {
        return Futures.await(maintenance.moveLeader(targetMemberId));
    }

    public DowngradeResponse downgrade(DowngradeAction action, String version) {
        return Futures.await(maintenance.downgrade(action, version));
    }

    /** The same view with this deadline per call instead of the client's default. */
    public BlockingMaintenanceClient withTimeout(Duration timeout) {
        return maintenance.withTimeout(timeout).blocking();
    }

    public MaintenanceClient async() {
        return maintenance;
    }
}
