package dev.etcdj.recipes;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link GoInteropContract} against the real etcd binary, the oracle. */
class RealEtcdGoInteropIT extends GoInteropContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
