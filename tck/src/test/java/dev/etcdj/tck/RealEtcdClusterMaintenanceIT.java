package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterMaintenanceContract} against the real etcd binary, the oracle (default flags). */
class RealEtcdClusterMaintenanceIT extends ClusterMaintenanceContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
