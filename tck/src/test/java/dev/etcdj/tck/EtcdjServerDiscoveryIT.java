package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DiscoveryContract} against our own embedded server. */
class EtcdjServerDiscoveryIT extends DiscoveryContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.etcdjServer();
}
