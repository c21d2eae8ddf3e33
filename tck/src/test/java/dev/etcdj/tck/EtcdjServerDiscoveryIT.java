package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTarget;
import dev.etcdj.testing.EtcdTargetExtension;
import dev.etcdj.testing.EtcdjServerTarget;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DiscoveryContract} against our own embedded server. */
class EtcdjServerDiscoveryIT extends DiscoveryContract {

    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.of(() -> new EtcdjServerTarget(b -> { }));

    @Override
    protected EtcdTarget target() {
        return etcd.target();
    }
}
