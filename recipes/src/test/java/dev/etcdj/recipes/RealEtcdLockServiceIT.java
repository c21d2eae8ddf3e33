package dev.etcdj.recipes;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LockServiceContract} against the real etcd binary, the oracle. */
class RealEtcdLockServiceIT extends LockServiceContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
