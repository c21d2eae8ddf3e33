package dev.etcdj.client;

import java.io.OutputStream;

/** The blocking view of a {@link MaintenanceClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingMaintenanceClient extends BlockingView<MaintenanceClient, BlockingMaintenanceClient> {

    BlockingMaintenanceClient(MaintenanceClient maintenance) {
        super(maintenance, MaintenanceClient::blocking);
    }

    public StatusResponse status(String endpoint) {
        return Futures.await(async.status(endpoint));
    }

    public void defragment(String endpoint) {
        Futures.await(async.defragment(endpoint));
    }

    public HashResponse hash(String endpoint) {
        return Futures.await(async.hash(endpoint));
    }

    public HashKvResponse hashKv(String endpoint, long revision) {
        return Futures.await(async.hashKv(endpoint, revision));
    }

    public AlarmResponse alarmList() {
        return Futures.await(async.alarmList());
    }

    public AlarmResponse alarmDisarm(AlarmMember alarm) {
        return Futures.await(async.alarmDisarm(alarm));
    }

    /** See {@link MaintenanceClient#snapshot}; returns the size of the database. */
    public long snapshot(String endpoint, OutputStream out) {
        return Futures.await(async.snapshot(endpoint, out));
    }

    public MoveLeaderResponse moveLeader(long targetMemberId) {
        return Futures.await(async.moveLeader(targetMemberId));
    }

    public DowngradeResponse downgrade(DowngradeAction action, String version) {
        return Futures.await(async.downgrade(action, version));
    }
}
