package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterMaintenanceContract} against our own embedded server (etcd's defaults). */
class EtcdjServerClusterMaintenanceIT extends ClusterMaintenanceContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();
}
