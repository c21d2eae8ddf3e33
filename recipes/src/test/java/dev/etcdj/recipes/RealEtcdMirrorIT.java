package dev.etcdj.recipes;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MirrorContract} against the real etcd binary, the oracle. */
class RealEtcdMirrorIT extends MirrorContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
