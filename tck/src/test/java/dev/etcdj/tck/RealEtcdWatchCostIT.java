package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WatchCostContract} against the real etcd binary, the oracle (a process of its own, as the contract needs). */
class RealEtcdWatchCostIT extends WatchCostContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
