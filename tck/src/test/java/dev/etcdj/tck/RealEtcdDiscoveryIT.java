package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DiscoveryContract} against the real etcd binary, the oracle. */
class RealEtcdDiscoveryIT extends DiscoveryContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
