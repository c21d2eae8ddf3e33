package dev.etcdj.recipes;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link GoInteropContract} against our own embedded server. */
class EtcdjServerGoInteropIT extends GoInteropContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
