package dev.etcdj.recipes;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LockServiceContract} against our own embedded server. */
class EtcdjServerLockServiceIT extends LockServiceContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
