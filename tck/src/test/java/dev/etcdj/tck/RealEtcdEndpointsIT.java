package dev.etcdj.tck;

import dev.etcdj.testing.EtcdTargetExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EndpointsContract} against the real etcd binary, the oracle. */
class RealEtcdEndpointsIT extends EndpointsContract {
    @RegisterExtension
    static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
}
