package dev.etcdj.client;

import java.io.OutputStream;

/**
 * The blocking view of a {@link MaintenanceClient}: each call is that client's call of the same name and
 * parameters, waited for; it returns the future's value and throws the {@link EtcdException} itself
 * (see {@link BlockingView}).
 */
public interface BlockingMaintenanceClient extends BlockingView<MaintenanceClient, BlockingMaintenanceClient> {

    StatusResponse status(String endpoint);

    void defragment(String endpoint);

    HashResponse hash(String endpoint);

    HashKvResponse hashKv(String endpoint, long revision);

    AlarmResponse alarmList();

    AlarmResponse alarmDisarm(AlarmMember alarm);

    /** See {@link MaintenanceClient#snapshot}; returns the size of the database. */
    long snapshot(String endpoint, OutputStream out);

    MoveLeaderResponse moveLeader(long targetMemberId);

    DowngradeResponse downgrade(DowngradeAction action, String version);
}
