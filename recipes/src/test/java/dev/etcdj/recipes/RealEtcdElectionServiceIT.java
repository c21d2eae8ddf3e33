package dev.etcdj.recipes;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ElectionServiceContract} against the real etcd binary, the oracle. */
class RealEtcdElectionServiceIT extends ElectionServiceContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
