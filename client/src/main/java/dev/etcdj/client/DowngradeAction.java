package dev.etcdj.client;

/** What {@link MaintenanceClient#downgrade} asks of the cluster (etcd 3.5's DowngradeRequest actions). */
public enum DowngradeAction {
    /** Only checks that the cluster could be downgraded to the version. */
    VALIDATE,
    /** Starts the downgrade: the cluster version drops once every member runs the target. */
    ENABLE,
    /** Cancels a downgrade in progress. */
    CANCEL
}
